{{- /* True when relationship {{.Args.r}} may be in force on $asOf: its earliest start is on or
before the day and its latest end on or after it (a partial date covers its whole span, a
missing bound is open). How likely it is on the day is part in-force-chance. Args: r, day (default $asOf). */ -}}
({{.Args.r}}.sinceStart IS NULL OR {{.Args.r}}.sinceStart <= {{day .Args}}) AND ({{.Args.r}}.untilEnd IS NULL OR {{day .Args}} <= {{.Args.r}}.untilEnd)
