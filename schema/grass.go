package schema

import (
	"fmt"
	"strings"
)

// GraSS renders a Neo4j Browser style sheet from the vocabulary: one colour per node
// kind with the name as caption, sources captioned by publisher, and relationships coloured
// by the sign of their influence (green cooperation, red conflict, grey context). Drop
// the file on Browser's style panel, or paste it after :style.
func (v *Vocabulary) GraSS() string {
	var b strings.Builder
	b.WriteString("node {\n  diameter: 50px;\n  color: #A5ABB6;\n  border-color: #9AA1AC;\n  border-width: 2px;\n  text-color-internal: #FFFFFF;\n  font-size: 10px;\n}\n")
	b.WriteString("relationship {\n  color: #A5ABB6;\n  shaft-width: 1px;\n  font-size: 8px;\n  padding: 3px;\n  text-color-external: #000000;\n  text-color-internal: #FFFFFF;\n  caption: '<type>';\n}\n")
	fmt.Fprintf(&b, "node.%s {\n  color: #FFFFFF;\n  border-color: #A5ABB6;\n  text-color-internal: #333333;\n  diameter: 40px;\n  caption: '{publisher}';\n}\n", SourceLabel)
	for _, k := range v.NodeKinds {
		diameter := 50
		if k.IsActor() {
			diameter = 65
		}
		fmt.Fprintf(&b, "node.%s {\n  color: %s;\n  border-color: %s;\n  text-color-internal: #FFFFFF;\n  diameter: %dpx;\n  caption: '{name}';\n}\n", k.Kind, k.Color, k.Color, diameter)
	}
	for _, t := range v.RelationshipTypes {
		color, width := SignColor(0), 1
		if in := t.Influence; in != nil && t.ActorInfluence(v) {
			color, width = SignColor(in.Sign), ShaftWidth(in.Strength)
		}
		fmt.Fprintf(&b, "relationship.%s {\n  color: %s;\n  shaft-width: %dpx;\n  caption: '<type>';\n}\n", t.Type, color, width)
	}
	return b.String()
}

// SignColor is the colour of a relationship whose influence has this sign: green for
// cooperation (1), red for conflict (-1), grey for none (0). The Browser style and the
// rendered pictures share it.
func SignColor(sign int) string {
	switch sign {
	case 1:
		return "#4CAF50"
	case -1:
		return "#E53935"
	}
	return "#A5ABB6"
}

// ShaftWidth is the width in pixels of a relationship with this influence strength
// (0 to 1): 1 to 5.
func ShaftWidth(strength float64) int { return 1 + int(strength*4+0.5) }
