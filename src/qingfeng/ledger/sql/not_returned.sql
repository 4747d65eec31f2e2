-- LED008, first half: receipts of earlier findings (table flagged: finding, id) that are still `received`
-- return_days after they arrived. Those returned within the deadline are resolved (the other half).
SELECT f.finding, list(t.id ORDER BY t.time) AS ids, list(t.amount ORDER BY t.time) AS amounts, sum(t.amount) AS total, count(*) AS n,
       min(t.time) AS first_time
FROM flagged f JOIN transfers t ON t.id = f.id
WHERE t.status = 'received' AND t.time + INTERVAL {return_days} DAYS < TIMESTAMP '{as_of}' + INTERVAL 1 DAY
GROUP BY f.finding
