{{- /* True when relationship {{.Args.r}} may be in force on $asOf: its earliest start is on or
before the day and its latest end on or after it (a partial date covers its whole span, a
missing bound is open). How likely it is on the day is part in-force-chance. Args: r. */ -}}
({{.Args.r}}.sinceStart IS NULL OR {{.Args.r}}.sinceStart <= $asOf) AND ({{.Args.r}}.untilEnd IS NULL OR $asOf <= {{.Args.r}}.untilEnd)
