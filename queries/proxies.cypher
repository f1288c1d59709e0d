// name: proxies
// description: Armed groups an actor supports (aid chains, CAMEO root 07) and whom those groups act against, with the strength of each link.
// param: actor actor default iran - the sponsor
// columns: group, support, chain, target, hostility, actions
//
// In Neo4j Browser, set the parameters first:
// :param actor => 'iran';
//
// Support is a rule on properties, not a list of types: a directed influence
// relationship with a positive sign whose CAMEO code is in root 07, "provide aid"
// (070-075: economic, military and humanitarian aid, military protection, asylum), so
// SUPPORTS_MILITARILY and PROVIDES_AID today and any aid type added later. A chain is one
// to three such hops from the actor, through any actors, ending at an armed group (label
// NonStateArmedGroup); support = the product of its strengths. The group's targets are
// the actors it has a negative influence relationship with (sign -1, followed from the
// group, or symmetric); hostility = the strongest of them; actions lists them with their
// dates. A group with no known target is listed with target null.
MATCH chain = (s:Actor {id: $actor})
              ((x)-[r]->(y:Actor) WHERE r.sign > 0 AND r.cameo STARTS WITH '07'){1,3}
              (g:NonStateArmedGroup)
WHERE all(i IN range(0, length(chain) - 1) WHERE NOT nodes(chain)[i] IN nodes(chain)[i + 1..])
WITH s, g, chain, reduce(v = 1.0, r IN relationships(chain) | v * r.strength) AS support
ORDER BY g.id, support DESC, length(chain), [n IN nodes(chain) | n.id]
WITH s, g, collect(chain)[0] AS chain, max(support) AS support
OPTIONAL MATCH (g)-[h]-(target:Actor)
WHERE h.strength IS NOT NULL AND h.sign < 0 AND (h.symmetric OR startNode(h) = g)
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
