-- LED005: a vote-buying burst. One sender's red envelopes reach at least burst_members members of a unit
-- holding an election (or members of a branch group whose unit the register does not know) during the
-- election period or in the burst_lead_days before it. The subject is the sender.
WITH days AS (  -- each day an election's window covers: the envelopes then join on (unit, day), no range join
  SELECT unit, start, "end",
         unnest(generate_series(start - INTERVAL {burst_lead_days} DAYS, "end"::TIMESTAMP, INTERVAL 1 DAY))::DATE AS day
  FROM elections
),
envelopes AS (
  SELECT t.*, t.time::DATE AS day, p.unit AS receiver_unit, k.kind AS room_kind
  FROM transfers t
  LEFT JOIN people p ON p.id = t.receiver
  LEFT JOIN room_kinds k ON k.room = t.room
  WHERE t.kind = 'redpacket' AND t.sender <> t.receiver
),
hits AS (
  SELECT e.*, d.unit AS election_unit, d.start AS election_start, d."end" AS election_end
  FROM envelopes e JOIN days d ON d.unit = e.receiver_unit AND d.day = e.day
  UNION ALL
  SELECT e.*, d.unit, d.start, d."end"
  FROM envelopes e JOIN days d ON d.day = e.day
  WHERE e.receiver_unit IS NULL AND e.room_kind = 'branch'
)
SELECT sender AS subject, election_unit AS counterparty, any_value(room) AS room,
       list(id ORDER BY time) AS ids, list(amount ORDER BY time) AS amounts, sum(amount) AS total, count(*) AS n,
       min(time) AS first_time, max(time) AS last_time,
       false AS over_limit, NULL AS relation,
       {{'start': strftime(election_start, '%Y-%m-%d'), 'end': strftime(election_end, '%Y-%m-%d'),
         'members': count(DISTINCT receiver)}} AS details
FROM hits
GROUP BY sender, election_unit, election_start, election_end
HAVING count(DISTINCT receiver) >= {burst_members}
