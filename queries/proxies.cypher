// name: proxies
// description: Armed groups an actor supports (aid chains, CAMEO root 07) and whom those groups act against, with the strength of each link.
// param: actor actor default iran - the sponsor (an ID, name or alias)
// param: asOf date default 2025-06-02 - only relationships in force on this day count
// columns: group, support, chain, target, hostility, actions
// view: group, support, chain, target, hostility
// evidence: actions
//
// In Neo4j Browser, set the parameters first (the actor by ID, name or alias):
// :param actor => 'iran';
// :param asOf => date('2025-06-02');
//
// Support is a rule on properties, not a list of types: a directed influence
// relationship with a positive sign whose CAMEO code is in root 07, "provide aid"
// (070-075: economic, military and humanitarian aid, military protection, asylum), so
// SUPPORTS_MILITARILY and PROVIDES_AID today and any aid type added later. A chain is one
// to three such hops from the actor, through any actors, ending at an armed group (label
// NonStateArmedGroup); support = the product of its strengths. The group's targets are
// the actors it has a negative influence relationship with (sign -1, followed from the
// group, or symmetric); hostility = the strongest of them; actions lists them with their
// dates. Only relationships in force on $asOf (since <= asOf <= until, a missing bound
// open) count, support and hostility alike. A group with no known target is listed with
// target null.
// part: resolve-actor of=$actor as=s
CALL () {
  WITH trim($actor) AS input
  CALL (input) {
    MATCH (n:Actor {id: toLower(input)})
    RETURN n, 0 AS tier
    UNION
    CALL (input) {
      WITH input WHERE input =~ '(?s).*[\\p{L}\\p{N}].*'
      CALL db.index.fulltext.queryNodes('actor_lookup', '"' + replace(replace(input, '\\', '\\\\'), '"', '\\"') + '"') YIELD node
      RETURN node AS n
    }
    WITH n, toLower(input) AS t, [s IN coalesce(n.aliases, []) | toLower(s)] AS aliases
    RETURN n, CASE WHEN toLower(n.name) = t THEN 1
                   WHEN t IN aliases THEN 2
                   WHEN any(s IN [toLower(n.name)] + aliases WHERE s ENDS WITH ' ' + t) THEN 3
                   WHEN any(s IN [toLower(n.name)] + aliases WHERE (' ' + s + ' ') CONTAINS (' ' + t + ' ')) THEN 4 END AS tier
    UNION
    RETURN null AS n, null AS tier
  }
  WITH input, n, min(tier) AS tier
  ORDER BY tier, n.id
  WITH input, collect(CASE WHEN tier IS NOT NULL THEN {n: n, tier: tier} END) AS hits
  WITH input, [h IN hits WHERE h.tier = hits[0].tier | h.n] AS candidates
  RETURN candidates[CASE size(candidates) WHEN 1 THEN 0 ELSE toInteger(point({x: 0, y: 0, crs: CASE size(candidates) WHEN 0
           THEN 'backchannel: no actor has the ID, name or alias "' + input + '"; MATCH (a:Actor) RETURN a.id, a.name, a.aliases lists them'
           ELSE 'backchannel: "' + input + '" is ambiguous: it names ' +
                reduce(s = '', c IN candidates | s + CASE s WHEN '' THEN '' ELSE ', ' END + c.id + ' (' + c.name + ', ' + c.kind + ')') +
                '; give the ID' END}).x) END] AS s
}
// end part: resolve-actor
MATCH chain = (s)
              ((x)-[r]->(y:Actor) WHERE r.sign > 0 AND r.cameo STARTS WITH '07'
                AND (r.sinceStart IS NULL OR r.sinceStart <= $asOf) AND (r.untilEnd IS NULL OR $asOf <= r.untilEnd)){1,3}
              (g:NonStateArmedGroup)
WHERE all(i IN range(0, length(chain) - 1) WHERE NOT nodes(chain)[i] IN nodes(chain)[i + 1..])
WITH s, g, chain, reduce(v = 1.0, r IN relationships(chain) | v * r.strength) AS support
ORDER BY g.id, support DESC, length(chain), [n IN nodes(chain) | n.id]
WITH s, g, collect(chain)[0] AS chain, max(support) AS support
OPTIONAL MATCH (g)-[h]-(target:Actor)
WHERE h.strength IS NOT NULL AND h.sign < 0 AND (h.symmetric OR startNode(h) = g)
  AND (h.sinceStart IS NULL OR h.sinceStart <= $asOf) AND (h.untilEnd IS NULL OR $asOf <= h.untilEnd)
WITH g, chain, support, target, h
ORDER BY h.id
WITH g, chain, support, target,
     collect(type(h) + ' ' + h.id + coalesce(' since ' + h.since, '') + coalesce(' until ' + h.until, '')) AS actions,
     max(h.strength) AS hostility
RETURN g.id AS group, round(support, 4) AS support,
       reduce(route = nodes(chain)[0].id, i IN range(0, length(chain) - 1) |
         route + ' -[' + type(relationships(chain)[i]) + ']-> ' + nodes(chain)[i + 1].id) AS chain,
       target.id AS target, round(hostility, 4) AS hostility, actions
ORDER BY support DESC, group, hostility DESC, target
