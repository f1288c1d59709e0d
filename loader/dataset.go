package loader

import (
	"errors"
	"fmt"

	"github.com/backchannel/backchannel/schema"
)

// DatasetOf names the dataset of a load or plan: explicit (--dataset) when given, else
// the name the files declare in a `dataset: NAME` line. A name is never taken from a
// folder's or a file's name, so that a file loaded alone, or a copy of the files
// elsewhere, is still the same dataset, and a prune never runs against a dataset the
// user did not name.
func DatasetOf(explicit string, given bool, inputs []schema.Input) (string, error) {
	declared := schema.DeclaredDatasets(inputs)
	if given {
		if err := CheckDataset(explicit); err != nil {
			return "", err
		}
		for _, d := range declared {
			if d.Name != explicit {
				return "", fmt.Errorf("%w: --dataset %q, but %s:%d says %s: %q; drop --dataset, or change the file", ErrDataset, explicit, d.File, d.Line, schema.DatasetKey, d.Name)
			}
		}
		return explicit, nil
	}
	if len(declared) == 0 {
		return "", fmt.Errorf("%w: name the dataset with --dataset NAME or a line `%s: NAME` in the files (the curated seeds say %s: seeds)", errNoDataset, schema.DatasetKey, schema.DatasetKey)
	}
	first := declared[0]
	for _, d := range declared[1:] {
		if d.Name != first.Name {
			return "", fmt.Errorf("%w: the files declare two datasets, %q (%s:%d) and %q (%s:%d): load them one at a time", ErrDataset, first.Name, first.File, first.Line, d.Name, d.File, d.Line)
		}
	}
	return first.Name, CheckDataset(first.Name)
}

// ErrFewerFiles is returned by Load and Plan for a prune over fewer files than the
// dataset's last load read (see Options.PruneFewerFiles).
var ErrFewerFiles = errors.New("prune over fewer files than the last load")
