-- LED003: money received in a work group during working hours on a working day (Chinese calendar, 调休
-- included). Info on its own; it raises the severity of the other findings on the same receipts.
SELECT receiver AS subject, NULL AS counterparty, room,
       list(id ORDER BY time) AS ids, list(amount ORDER BY time) AS amounts, sum(amount) AS total, count(*) AS n,
       min(time) AS first_time, max(time) AS last_time,
       false AS over_limit, NULL AS relation, NULL AS details
FROM receipts
WHERE work_hours_group
GROUP BY receiver, room
