-- ILL010: red-envelope gambling (接龙). In one group, small packets follow each other quickly and the
-- luckiest receiver of each packet sends the next one; gamble_links such links in a day is a game, not
-- greetings. One finding per official taking part (or one for the group when no official does).
WITH packets AS (  -- packets shared by two or more in a group, small in all
  SELECT room, packet, any_value(sender) AS sender, min(time) AS sent, arg_max(receiver, amount) AS luckiest
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
played AS (  -- the games' receipts, read again only for the few packets in a game
  SELECT g.room, g.day, any_value(games.links) AS links,
         list(t.id ORDER BY t.time, t.id) AS ids, list(t.amount ORDER BY t.time, t.id) AS amounts,
         sum(t.amount) AS total, count(DISTINCT t.packet) AS packets,
         list_distinct(list(t.receiver) || list(t.sender)) AS players,
         min(t.time) AS first_time, max(t.time) AS last_time
  FROM game_packets g
  JOIN transfers t ON t.room = g.room AND t.packet = g.packet
  JOIN games ON games.room = g.room AND games.day = g.day
  GROUP BY g.room, g.day
)
SELECT o.id AS subject, NULL AS counterparty, played.room, ids, amounts, total, array_length(ids) AS n,
       first_time, last_time, false AS over_limit, NULL AS relation,
       {{'links': links, 'packets': packets, 'players': array_length(players)}} AS details
FROM played
LEFT JOIN (SELECT id FROM people WHERE official) o ON list_contains(played.players, o.id)
