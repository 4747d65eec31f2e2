-- LED004: repeated small sums from one counterparty (not family): at least repeat_count receipts within
-- repeat_days, each within the per-transfer limit, adding up beyond repeat_total. Every small receipt of the
-- pair is listed, so the finding shows the whole run; small shared expenses paid back (AA …) do not count.
WITH small AS (
  SELECT *,
         count(*) OVER w AS window_count,
         sum(amount) OVER w AS window_total
  FROM receipts
  WHERE coalesce(relation, '') <> 'family' AND amount <= {per_transfer_limit}
    AND NOT (amount <= {reimbursement_floor} AND regexp_matches(memo, '{reimbursement_memo}'))
  WINDOW w AS (PARTITION BY receiver, sender ORDER BY time
               RANGE BETWEEN INTERVAL {repeat_days} DAYS PRECEDING AND CURRENT ROW)
),
pairs AS (
  SELECT receiver, sender FROM small
  WHERE window_count >= {repeat_count} AND window_total > {repeat_total}
  GROUP BY receiver, sender
)
SELECT receiver AS subject, sender AS counterparty, NULL AS room,
       list(id ORDER BY time) AS ids, list(amount ORDER BY time) AS amounts, sum(amount) AS total, count(*) AS n,
       min(time) AS first_time, max(time) AS last_time,
       false AS over_limit, any_value(relation) AS relation, NULL AS details
FROM small SEMI JOIN pairs USING (receiver, sender)
GROUP BY receiver, sender
