-- ILL010: red-envelope gambling (接龙). In one group, small packets follow each other quickly and the
-- luckiest receiver of each packet sends the next one; gamble_links such links in a day is a game, not
-- greetings. One finding per official taking part (or one for the group when no official does).
WITH packets AS (
  SELECT room, packet, any_value(sender) AS sender, min(time) AS sent, sum(amount) AS total,
         arg_max(receiver, amount) AS luckiest, list(id) AS ids, list(amount) AS amounts,
         list(receiver) AS receivers
  FROM transfers
  WHERE kind = 'redpacket' AND room IS NOT NULL
  GROUP BY room, packet
  HAVING sum(amount) <= {gamble_packet} AND count(*) >= 2
),
chained AS (
  SELECT *, lag(luckiest) OVER w AS previous_luckiest, lag(sent) OVER w AS previous_sent,
         lag(packet) OVER w AS previous_packet
  FROM packets
  WINDOW w AS (PARTITION BY room ORDER BY sent)
),
links AS (
  SELECT room, sent::DATE AS day, packet, previous_packet FROM chained
  WHERE sender = previous_luckiest AND sent - previous_sent <= INTERVAL {gamble_gap_minutes} MINUTES
),
games AS (
  SELECT room, day, count(*) AS links FROM links GROUP BY room, day HAVING count(*) >= {gamble_links}
),
game_packets AS (
  SELECT DISTINCT l.room, l.day, unnest([l.packet, l.previous_packet]) AS packet
  FROM links l SEMI JOIN games USING (room, day)
),
played AS (
  SELECT g.room, g.day, any_value(games.links) AS links, flatten(list(p.ids ORDER BY p.sent)) AS ids,
         flatten(list(p.amounts ORDER BY p.sent)) AS amounts,
         sum(p.total) AS total, count(*) AS packets,
         list_distinct(flatten(list(p.receivers)) || list(p.sender)) AS players,
         min(p.sent) AS first_time, max(p.sent) AS last_time
  FROM game_packets g
  JOIN packets p USING (room, packet)
  JOIN games USING (room, day)
  GROUP BY g.room, g.day
)
SELECT o.id AS subject, NULL AS counterparty, played.room, ids, amounts, total, len(ids) AS n,
       first_time, last_time, 'block' AS severity, NULL AS relation,
       links || '/' || packets || '/' || len(players) AS label
FROM played
LEFT JOIN (SELECT id FROM people WHERE official) o ON list_contains(played.players, o.id)
