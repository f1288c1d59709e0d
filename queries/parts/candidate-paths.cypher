{{- /* The candidate paths from {{.Args.s}} to {{.Args.t}}, one relationship a hop: simple
paths of up to $maxHops relationships in force on $asOf, every hop but the last carrying
cooperative influence in the direction of travel, the last carrying influence of either
sign. Every path over positive dyads is among them (a dyad is net positive only where a
cooperative relationship carries influence its way); the dyads are checked after (part
dyads). Matched in two parts: up to 4 hops, and exactly 5 only when $maxHops is 5 (the
planner checks that guard before expanding, so the common case never expands a fifth
hop). Args: s, t; among (optional): a list of actors, for matching the paths from s to
every other actor of the list at once, t unbound (one expansion from s instead of one a
pair: the pairs' paths are the same, found once). Returns p. */ -}}
MATCH p = ({{.Args.s}})
          ((x)-[r]-(y:Actor)
            WHERE {{part "in-force" "r" "r"}}
              AND {{part "carries" "r" "r" "from" "x"}} > 0 AND {{part "sign-from" "r" "r" "from" "x"}} > 0){0,3}
          (m:Actor)-[last]-({{.Args.t}})
WHERE {{with index .Args "among"}}{{$.Args.t}} IN {{.}} AND {{$.Args.t}} <> {{$.Args.s}} AND {{end}}length(p) <= $maxHops
  AND {{part "in-force" "r" "last"}} AND {{part "carries" "r" "last" "from" "m"}} > 0
  AND all(i IN range(0, size(nodes(p)) - 2) WHERE NOT nodes(p)[i] IN nodes(p)[i + 1..])
RETURN p
UNION ALL
MATCH p = ({{.Args.s}})
          ((x)-[r]-(y:Actor)
            WHERE {{part "in-force" "r" "r"}}
              AND {{part "carries" "r" "r" "from" "x"}} > 0 AND {{part "sign-from" "r" "r" "from" "x"}} > 0){4}
          (m:Actor)-[last]-({{.Args.t}})
WHERE $maxHops >= 5{{with index .Args "among"}} AND {{$.Args.t}} IN {{.}} AND {{$.Args.t}} <> {{$.Args.s}}{{end}}
  AND {{part "in-force" "r" "last"}} AND {{part "carries" "r" "last" "from" "m"}} > 0
  AND all(i IN range(0, size(nodes(p)) - 2) WHERE NOT nodes(p)[i] IN nodes(p)[i + 1..])
RETURN p
