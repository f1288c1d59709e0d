package schema

// The shape of the records in a seed file. It is fixed; the vocabulary (node kinds and
// relationship types) is what grows. Field rules are validator/v10 tags; the custom tags
// (slug, qid, cameoactor, cameoevent, quote) are registered in validate.go. A seed file
// is any mix of sources, nodes and relationships, under those three keys.
//
// YAML names are camelCase, as are the Neo4j properties they become.

// Source is a document that facts are taken from.
type Source struct {
	ID        string `yaml:"id" json:"id" validate:"required,slug"`
	Publisher string `yaml:"publisher" json:"publisher" validate:"required,max=300"`
	Title     string `yaml:"title" json:"title" validate:"required,max=500"`
	// URL of the source; required unless File points at a copy kept in the repository.
	URL string `yaml:"url" json:"url,omitempty" validate:"required_without=File,omitempty,url,max=2000"`
	// File is a copy of the source kept beside the seeds, relative to the seed file.
	File      string `yaml:"file" json:"file,omitempty" validate:"omitempty,max=500"`
	Author    string `yaml:"author" json:"author,omitempty" validate:"max=300"`
	Published Date   `yaml:"published" json:"published" validate:"required"`
	Accessed  Date   `yaml:"accessed" json:"accessed,omitempty"`
	Language  string `yaml:"language" json:"language,omitempty" validate:"omitempty,bcp47_language_tag"`
	// Reliability: primary (the actor's own statement or document), reputable (an
	// established outlet), secondary (an aggregator or wire copy), low (known errors).
	Reliability string `yaml:"reliability" json:"reliability" validate:"required,oneof=primary reputable secondary low"`
	Note        string `yaml:"note" json:"note,omitempty" validate:"max=2000"`
	// Archived records the page as last verified by `sources verify`: the sha256 of its
	// extracted text and the day it was fetched. A later run warns when the page changed.
	Archived *Archived `yaml:"archived" json:"archived,omitempty"`
}

// Archived is what a source's page was when its quotes were last verified.
type Archived struct {
	SHA256    string `yaml:"sha256" json:"sha256" validate:"required,len=64,hexadecimal"`
	Retrieved Date   `yaml:"retrieved" json:"retrieved" validate:"required"`
}

// Evidence ties a node or relationship to a source: the verbatim quote that supports
// it, or a note saying why there is none.
type Evidence struct {
	Source string `yaml:"source" json:"source" validate:"required,slug"`
	Quote  string `yaml:"quote" json:"quote,omitempty" validate:"required_without=Note,omitempty,quote,max=5000"`
	Note   string `yaml:"note" json:"note,omitempty" validate:"max=2000"`
}

// Node is an actor, event, proposal, agreement, demand or place. Which of the optional
// fields a node may use depends on its kind (schema/vocabulary.yaml).
type Node struct {
	ID          string   `yaml:"id" validate:"required,slug"`
	Kind        string   `yaml:"kind" validate:"required"`
	Name        string   `yaml:"name" validate:"required,max=300"`
	Aliases     []string `yaml:"aliases" validate:"max=50,dive,required,max=300"`
	Description string   `yaml:"description" validate:"max=5000"`
	// Wikidata QID, e.g. Q30 for the United States.
	Wikidata string `yaml:"wikidata" validate:"omitempty,qid"`
	// Cameo is the CAMEO actor code, e.g. USA, PSEREBHMS.
	Cameo string `yaml:"cameo" validate:"omitempty,cameoactor"`
	// Title is the office a person holds, as of the sources.
	Title string `yaml:"title" validate:"max=300"`
	// Date (events, proposals, agreements) and End for spans: partial ISO dates.
	Date Date `yaml:"date"`
	End  Date `yaml:"end"`
	// EventCode is the event's CAMEO code, as a string (010 is not 10).
	EventCode string     `yaml:"eventCode" validate:"omitempty,cameoevent"`
	Note      string     `yaml:"note" validate:"max=5000"`
	Evidence  []Evidence `yaml:"evidence" validate:"required,min=1,max=100,dive"`
}

// Relationship is a typed, directed edge between two nodes, with its own ID so that
// parallel edges (two periods, two sources) stay distinct.
type Relationship struct {
	ID    string `yaml:"id" validate:"required,slug"`
	Type  string `yaml:"type" validate:"required"`
	From  string `yaml:"from" validate:"required,slug"`
	To    string `yaml:"to" validate:"required,slug"`
	Since Date   `yaml:"since"`
	Until Date   `yaml:"until"`
	// Act says whether the relationship is an instantaneous act (a one-day visit, a
	// single strike), which needs until; absent, its type decides (vocabulary `act`).
	// false declares a relationship of an act type lasting (a standing appeal).
	Act *bool `yaml:"act"`
	// Confidence in the fact as sourced: high (stated by reputable or primary sources),
	// medium (one source, or reported), low (claimed, disputed or inferred).
	Confidence string `yaml:"confidence" validate:"required,oneof=high medium low"`
	// Role says how an actor took part (PARTICIPATED_IN), e.g. mediator, host.
	Role string `yaml:"role" validate:"max=200"`
	// Influence overrides the type's Goldstein score for this one relationship.
	Influence *InfluenceOverride `yaml:"influence"`
	// ReverseInfluence, on a symmetric type only, scores the relationship when it is
	// followed the other way (to -> from), e.g. talks that move one side more than the
	// other; goldstein 0 means no influence flows that way.
	ReverseInfluence *InfluenceOverride `yaml:"reverseInfluence"`
	Description      string             `yaml:"description" validate:"max=5000"`
	Note             string             `yaml:"note" validate:"max=5000"`
	Evidence         []Evidence         `yaml:"evidence" validate:"required,min=1,max=100,dive"`
}

// InfluenceOverride replaces a relationship type's score for one relationship.
type InfluenceOverride struct {
	Goldstein *float64 `yaml:"goldstein" validate:"required,min=-10,max=10"`
	Cameo     string   `yaml:"cameo" validate:"omitempty,cameoevent"`
	Reason    string   `yaml:"reason" validate:"required,max=2000"`
}
