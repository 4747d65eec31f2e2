-- LED008, first half: receipts of earlier findings (table flagged: finding, id) still `received` once the
-- deadline day (the day they arrived + return_days) is over on the as_of day. The other half resolves
-- findings whose money was returned in time.
SELECT f.finding, list(t.id ORDER BY t.time) AS ids, list(t.amount ORDER BY t.time) AS amounts,
       sum(t.amount) AS total, count(*) AS n, min(t.time) AS first_time
FROM flagged f JOIN transfers t ON t.id = f.id
WHERE t.status = 'received' AND t.time::DATE + INTERVAL {return_days} DAYS < DATE '{as_of}'
GROUP BY f.finding
