{{- /* The net tie of ({{.Args.x}}, {{.Args.y}}) from the dyads part dyads-of-paths bound. Args:
x, y. */ -}}
[g IN dyads WHERE g.x = {{.Args.x}} | [d IN g.ds WHERE d.y = {{.Args.y}}][0]][0]
