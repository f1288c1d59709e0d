// name: as-of
// description: The influence relationships in force on a date (since <= date <= until, a missing bound being open), with sign and strength.
// param: date date default 2025-06-02 - the day
// columns: from, type, to, symmetric, sign, strength, since, until, chance, relationship
// view: from, type, to, sign, strength, since, until, chance
// evidence: relationship, symmetric
//
// In Neo4j Browser, set the parameters first:
// :param date => date('2025-06-02');
//
// Influence relationships are those with a strength between two actors. A partial date
// covers its whole span: since 2025-05 starts on 2025-05-01 (sinceStart), until 2025-05
// ends on 2025-05-31 (untilEnd). since and until are shown as written. chance is 1 when
// the relationship's dates cover the whole day, else the share of its partial bound's
// days that put it in force (since 2025-05 on 10 May: 10/31), as the path queries weigh
// it (README, "The influence model"). Sorted by from, to, type and ID.
MATCH (a:Actor)-[r]->(b:Actor)
WHERE r.strength IS NOT NULL
  AND
  // part: in-force r=r day=$date
  (r.sinceStart IS NULL OR r.sinceStart <= $date) AND (r.untilEnd IS NULL OR $date <= r.untilEnd)
  // end part: in-force
RETURN a.id AS from, type(r) AS type, b.id AS to, r.symmetric AS symmetric, r.sign AS sign,
       round(r.strength, 4) AS strength, r.since AS since, r.until AS until,
       round(
         // part: in-force-chance r=r day=$date
         CASE WHEN r.sinceEnd IS NULL OR r.sinceEnd <= $date THEN 1.0
              ELSE (duration.inDays(r.sinceStart, $date).days + 1.0) / (duration.inDays(r.sinceStart, r.sinceEnd).days + 1) END
           * CASE WHEN r.untilStart IS NULL OR $date <= r.untilStart THEN 1.0
                  ELSE (duration.inDays($date, r.untilEnd).days + 1.0) / (duration.inDays(r.untilStart, r.untilEnd).days + 1) END
         // end part: in-force-chance
       , 3) AS chance, r.id AS relationship
ORDER BY from, to, type, relationship
