-- LED006: gift cards and e-coupons from a subordinate, client or business contact: blocked whatever the
-- amount (loc-xm, loc-ly).
SELECT receiver AS subject, sender AS counterparty, NULL AS room,
       list(id ORDER BY time) AS ids, list(amount ORDER BY time) AS amounts, sum(amount) AS total, count(*) AS n,
       min(time) AS first_time, max(time) AS last_time,
       false AS over_limit, any_value(relation) AS relation, NULL AS details
FROM receipts
WHERE kind = 'giftcard' AND relation IN ('subordinate', 'client', 'business')
GROUP BY receiver, sender
