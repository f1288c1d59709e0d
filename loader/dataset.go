package loader

import (
	"context"
	"errors"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/neo4jconn"
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
		return "", fmt.Errorf("%w: name the dataset with --dataset NAME or a line `%s: NAME` in the files (the curated seeds say %s: seeds)", ErrDataset, schema.DatasetKey, schema.DatasetKey)
	}
	first := declared[0]
	for _, d := range declared[1:] {
		if d.Name != first.Name {
			return "", fmt.Errorf("%w: the files declare two datasets, %q (%s:%d) and %q (%s:%d): load them one at a time", ErrDataset, first.Name, first.File, first.Line, d.Name, d.File, d.Line)
		}
	}
	return first.Name, CheckDataset(first.Name)
}

// ErrFewerFiles is returned by CheckPrune for a prune over fewer files than the dataset's
// last load read.
var ErrFewerFiles = errors.New("prune over fewer files than the last load")

// CheckPrune refuses a prune whose input has fewer files than the dataset's last
// recorded load: --prune deletes every record of the dataset that is not in the input,
// so `load --prune seeds/actors.yaml` would delete the rest of the seeds. A dataset
// never loaded passes.
func CheckPrune(ctx context.Context, db *neo4jconn.DB, dataset string, files int) error {
	session := db.Session(ctx, neo4j.AccessModeRead)
	last, err := neo4j.ExecuteRead(ctx, session, func(tx neo4j.ManagedTransaction) (int64, error) {
		res, err := tx.Run(ctx, "MATCH (r:"+RunLabel+" {dataset: $dataset}) RETURN r.files AS files ORDER BY r.finishedAt DESC LIMIT 1", map[string]any{"dataset": dataset})
		if err != nil {
			return 0, err
		}
		recs, err := res.Collect(ctx)
		if err != nil || len(recs) == 0 {
			return 0, err
		}
		files, _, err := neo4j.GetRecordValue[int64](recs[0], "files") // null: 0
		return files, err
	})
	err = errors.Join(err, session.Close(context.WithoutCancel(ctx)))
	if err != nil {
		return fmt.Errorf("read the last load of dataset %q: %w", dataset, db.Classify(err))
	}
	if int64(files) < last {
		return fmt.Errorf("%w: the last load of dataset %q read %d files and this one reads %d, so --prune would delete the records of the files left out; load them all, or add --prune-fewer-files if they are gone for good", ErrFewerFiles, dataset, last, files)
	}
	return nil
}
