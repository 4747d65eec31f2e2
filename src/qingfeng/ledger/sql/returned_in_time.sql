-- LED008, second half: findings whose every receipt was returned within return_days (a `returned` row
-- without returned_at counts as returned in time: the data does not say otherwise).
SELECT f.finding
FROM flagged f JOIN transfers t ON t.id = f.id
GROUP BY f.finding
HAVING bool_and(t.status = 'returned'
                AND (t.returned_at IS NULL OR t.returned_at::DATE <= t.time::DATE + INTERVAL {return_days} DAYS))
