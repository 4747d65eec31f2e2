-- LED002: beyond normal reciprocity from anyone who is not family and not an interested party (LED001 has
-- those): one transfer beyond the per-transfer limit, or the counterparty's sum within counterparty_days
-- beyond the per-counterparty limit. Listed: the large receipts and every receipt of a window that crossed.
WITH money AS (
  SELECT *,
         sum(amount) OVER (PARTITION BY receiver, sender ORDER BY time
                           RANGE BETWEEN INTERVAL {counterparty_days} DAYS PRECEDING AND CURRENT ROW) AS window_total
  FROM receipts
  WHERE coalesce(relation, '') NOT IN ('subordinate', 'client', 'business', 'family')
),
crossed AS (
  SELECT receiver, sender, time AS until FROM money WHERE window_total > {per_counterparty_limit}
),
listed AS (
  SELECT * FROM money m
  WHERE amount > {per_transfer_limit}
     OR EXISTS (SELECT 1 FROM crossed c
                WHERE c.receiver = m.receiver AND c.sender = m.sender
                  AND m.time BETWEEN c.until - INTERVAL {counterparty_days} DAYS AND c.until)
)
SELECT receiver AS subject, sender AS counterparty, NULL AS room,
       list(id ORDER BY time) AS ids, list(amount ORDER BY time) AS amounts, sum(amount) AS total, count(*) AS n,
       min(time) AS first_time, max(time) AS last_time,
       false AS over_limit, any_value(relation) AS relation, NULL AS details
FROM listed
GROUP BY receiver, sender
