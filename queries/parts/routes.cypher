{{- /* The routes of the candidate paths of list {{.Args.paths}} (part candidate-paths), read by
$reading. dyad (the default): a hop is the net tie of its two actors (part dyad, bound
as dyads); every hop but the last is net positive in the direction of travel; a route is
cooperative when its last hop is net positive, coercive when it is net negative. Influence
passes on only between friends: on every hop but the last, the pair's net tie the other
way is not negative either (the Houthis' truce with the US does not carry their
influence on through the US, which sanctions them), and no actor on the route is one
the source's own net tie is negative to (influence through a third party needs its
cooperation, which an adversary withholds; distrust propagates one step only: Guha et
al. 2004; the US does not reach Hamas through Iran). One row a sequence of actors. relationship: a hop is the channel of the path's own relationship
(its type and direction) alone, as the model read before dyads; one row a sequence of
actors and types. strength = the product of the hops' |net| x $attenuation^(hops - 1),
sign = the product of their signs (structural balance: Heider 1946; Cartwright & Harary
1956). Each hop gets a label for routes: -[T]-> its strongest channel of the hop's sign
followed forward, <-[T]- one followed back (B's hold on A where A acts on B: a client's
hold on its patron), -[T]- a symmetric one; +N counts the other channels of that sign,
? marks a hop that rests on a relationship whose dates only partly cover $asOf. Args:
paths, keep (the variables carried through). Binds kind, sign, strength, hops, ids,
types and p (one path of the route, for drawing: over each hop's leading relationship
where a candidate has it). */ -}}
UNWIND {{.Args.paths}} AS p
WITH {{keep .Args}}dyads, p, nodes(p) AS ns, relationships(p) AS rs
WITH {{keep .Args}}p, ns, rs, [i IN range(0, size(rs) - 1) | [d IN [{{part "dyad-of" "x" "ns[i]" "y" "ns[i + 1]"}}] |
       CASE WHEN $reading = 'relationship' THEN
         [c IN d.channels WHERE c.type = type(rs[i]) AND c.forward = (startNode(rs[i]) = ns[i]) |
           {x: d.x, y: d.y, cooperation: CASE WHEN c.sign > 0 THEN c.i ELSE 0.0 END,
            conflict: CASE WHEN c.sign < 0 THEN c.i ELSE 0.0 END, net: c.sign * c.i, channels: [c],
            uncertain: any(e IN c.rels WHERE e.chance < 1)}][0]
       ELSE d END][0]] AS hops
WHERE all(h IN hops WHERE h IS NOT NULL) AND all(h IN hops[..-1] WHERE h.net > 0) AND hops[-1].net <> 0
  AND ($reading = 'relationship' OR
       (all(k IN range(0, size(ns) - 3) WHERE {{part "dyad-of" "x" "ns[k + 1]" "y" "ns[k]"}}.net >= 0)
        AND all(k IN range(2, size(ns) - 2) WHERE {{part "dyad-of" "x" "ns[0]" "y" "ns[k]"}}.net >= 0)))
WITH {{keep .Args}}p, ns, rs,
     [h IN hops | h {.*, label: reduce(l = '', c IN [c IN h.channels WHERE c.sign * h.net > 0][..1] |
        CASE WHEN c.forward OR c.rels[0].r.symmetric THEN ' -[' ELSE ' <-[' END + c.type
        + CASE WHEN size([x IN h.channels WHERE x.sign * h.net > 0]) > 1
               THEN '+' + toString(size([x IN h.channels WHERE x.sign * h.net > 0]) - 1) ELSE '' END
        + CASE WHEN h.uncertain THEN '?' ELSE '' END
        + CASE WHEN c.forward AND NOT c.rels[0].r.symmetric THEN ']-> ' ELSE ']- ' END),
        lead: [c IN h.channels WHERE c.sign * h.net > 0][0].rels[0].r}] AS hops,
     reduce(acc = 1, h IN hops | acc * sign(h.net)) AS sign,
     reduce(acc = 1.0, h IN hops | acc * abs(h.net)) * $attenuation ^ (size(hops) - 1) AS strength,
     CASE WHEN hops[-1].net > 0 THEN 'cooperative' ELSE 'coercive' END AS kind
WITH {{keep .Args}}kind, sign, strength, hops, [n IN ns | n.id] AS ids,
     CASE WHEN $reading = 'relationship' THEN [r IN rs | type(r)] ELSE [] END AS types, p
// the path drawn for a route: the one over each hop's leading relationship, if the
// candidates have it (a hop's last relationship may be one of the other sign)
ORDER BY size([i IN range(0, size(rs) - 1) WHERE rs[i] = hops[i].lead]) DESC, [r IN rs | r.id]
WITH {{keep .Args}}kind, sign, strength, [h IN hops | h {.*, lead: null}] AS hops, ids, types, collect(p)[0] AS p
