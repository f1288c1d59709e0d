{{- /* The net tie of the ordered pair ({{.Args.x}}, {{.Args.y}}) on $asOf (README, "The
influence model"): every influence relationship between them in force that day, in
either direction, carries i = its flow towards {{.Args.y}} x the confidence's weight
($confidence: graded, flat or steep, schema/vocabulary.yaml) x its chance of being in
force (part in-force-chance) x $scale when its type is $scaleType. Parallel relationships
of one type and direction are one channel, counted by their strongest. cooperation
combines the positive channels, conflict the negative ones, each by $aggregation: noisy-or
(1 - product of (1 - i): independent channels, each adding less, Kempe, Kleinberg & Tardos
2003) or max (the strongest alone); net = cooperation - conflict. Channels are listed
strongest first, each with its relationships. Args: x, y, as (the variable to bind, default d), keep (the variables carried
through, optional). Binds d or as. */ -}}
CALL ({{.Args.x}}, {{.Args.y}}) {
  MATCH ({{.Args.x}})-[r]-({{.Args.y}})
  WHERE r.fwdInfluence IS NOT NULL AND {{part "in-force" "r" "r"}}
  WITH r, startNode(r) = {{.Args.x}} AS forward,
       {{part "in-force-chance" "r" "r" | indent 7}} AS chance
  WITH r, forward, chance, {{part "sign-from" "r" "r" "from" .Args.x}} AS sign,
       CASE WHEN forward THEN r.fwdInfluence ELSE r.revInfluence END
         * CASE WHEN type(r) = $scaleType THEN $scale ELSE 1.0 END
         * {{.Model.Confidence}}[$confidence][r.confidence] * chance AS i
  WHERE i > 0
  WITH r, forward, chance, sign, i ORDER BY i DESC, r.id
  WITH type(r) AS type, forward, sign, max(i) AS i, collect({r: r, i: i, chance: chance}) AS rels
  ORDER BY i DESC, type, forward DESC
  WITH collect({type: type, forward: forward, sign: sign, i: i, rels: rels}) AS channels
  WITH channels, [c IN channels WHERE c.sign > 0 | c.i] AS co, [c IN channels WHERE c.sign < 0 | c.i] AS cf
  WITH channels,
       CASE $aggregation WHEN 'max' THEN reduce(m = 0.0, v IN co | CASE WHEN v > m THEN v ELSE m END)
            ELSE 1 - reduce(q = 1.0, v IN co | q * (1 - v)) END AS cooperation,
       CASE $aggregation WHEN 'max' THEN reduce(m = 0.0, v IN cf | CASE WHEN v > m THEN v ELSE m END)
            ELSE 1 - reduce(q = 1.0, v IN cf | q * (1 - v)) END AS conflict
  RETURN {x: {{.Args.x}}, y: {{.Args.y}}, cooperation: cooperation, conflict: conflict, net: cooperation - conflict,
          channels: channels, uncertain: any(c IN channels WHERE any(e IN c.rels WHERE e.chance < 1))} AS {{with index .Args "as"}}{{.}}{{else}}d{{end}}
}
