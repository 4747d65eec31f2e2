-- LED001: money from a subordinate, client or business contact to an official. Beyond the per-transfer limit,
-- or beyond the per-counterparty limit within counterparty_days, it is over_limit (the rule's escalate). A small shared
-- expense paid back (memo AA, 饭钱 …, at most the reimbursement floor) is not a gift. Gift cards: LED006.
WITH money AS (
  SELECT *,
         sum(amount) OVER (PARTITION BY receiver, sender ORDER BY time
                           RANGE BETWEEN INTERVAL {counterparty_days} DAYS PRECEDING AND CURRENT ROW) AS window_total
  FROM receipts
  WHERE relation IN ('subordinate', 'client', 'business')
    AND kind <> 'giftcard'
    AND NOT (amount <= {reimbursement_floor} AND regexp_matches(memo, '{reimbursement_memo}'))
)
SELECT receiver AS subject, sender AS counterparty, NULL AS room,
       list(id ORDER BY time) AS ids, list(amount ORDER BY time) AS amounts, sum(amount) AS total, count(*) AS n,
       min(time) AS first_time, max(time) AS last_time,
       max(amount) > {per_transfer_limit} OR max(window_total) > {per_counterparty_limit} AS over_limit,
       any_value(relation) AS relation, NULL AS details
FROM money
GROUP BY receiver, sender
