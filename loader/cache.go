package loader

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/backchannel/backchannel/schema"
)

// The local cache of validated files lets a load or a plan after a small edit read only
// the files that changed. A stamped load keeps, for each file, what validation needs of
// it (schema.Options.Keep), under the folder Options.CacheDir, one subfolder per dataset:
// a manifest naming the run's stamp, the validation key (the tool's build, version and
// vocabulary) and each file's sha256, and one blob per file, named by its sha256.
//
// A later run uses it only when the dataset's last run is the manifest's stamp and
// nothing has committed to the database since (the chain of the no-op check): the graph
// then provably holds the records of every file of that run, so the unchanged files need
// no comparison and no write, and their kept summaries are replayed through the
// cross-record checks instead of being parsed (schema.Options.Reuse), so the findings
// are those of reading them. A missing, stale, corrupt or foreign cache only costs the
// shortcut: the file is read, or every file. A plan uses the cache but never writes it.

// cacheManifest is the manifest of a dataset's cache.
type cacheManifest struct {
	Format     int         `json:"format"`
	Dataset    string      `json:"dataset"`
	Stamp      string      `json:"stamp"`      // the run's stamp: database id and transaction
	Validation string      `json:"validation"` // see validationKey
	Files      []cacheFile `json:"files"`
}

type cacheFile struct {
	Hash string `json:"hash"` // the file's sha256, hex: also the blob's name
	Sum  string `json:"sum"`  // the blob's sha256, hex
}

const (
	cacheFormat  = 1
	manifestName = "manifest.json"
)

// DefaultCacheDir is where the CLI keeps the cache: backchannel/ under the user's cache
// folder (os.UserCacheDir: $XDG_CACHE_HOME or ~/.cache on Linux), or "" when there is none.
func DefaultCacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "backchannel")
}

// datasetCache is one dataset's cache folder, and what a run takes from it and leaves in it.
type datasetCache struct {
	dir      string
	manifest *cacheManifest // as read, when it could be
	blobs    map[string]cacheFile
	// staged holds the blobs of the files this run read, written beside the cache
	// until the run is stamped (commit).
	mu     sync.Mutex
	staged map[string]cacheFile // file hash -> the staged blob (named by Hash in stage) and its sha256
	stage  string
}

// openCache opens the dataset's cache folder under root and reads its manifest; nil
// when root is "".
func openCache(root, dataset string) *datasetCache {
	if root == "" {
		return nil
	}
	key := sha256.Sum256([]byte(dataset))
	c := &datasetCache{dir: filepath.Join(root, hex.EncodeToString(key[:16]))}
	b, err := os.ReadFile(filepath.Join(c.dir, manifestName))
	if err != nil {
		return c
	}
	var m cacheManifest
	if json.Unmarshal(b, &m) != nil || m.Format != cacheFormat || m.Dataset != dataset {
		return c
	}
	c.manifest, c.blobs = &m, make(map[string]cacheFile, len(m.Files))
	for _, f := range m.Files {
		c.blobs[f.Hash] = f
	}
	return c
}

// usable reports whether the manifest is that of run stamp under validation key key.
func (c *datasetCache) usable(stamp, key string) bool {
	return c != nil && c.manifest != nil && stamp != "" && c.manifest.Stamp == stamp && c.manifest.Validation == key
}

// blob returns the kept summary of a file of sha256 hash, or nil when there is none
// or it is not what the manifest says.
func (c *datasetCache) blob(hash [sha256.Size]byte) []byte {
	h := hex.EncodeToString(hash[:])
	f, ok := c.blobs[h]
	if !ok {
		return nil
	}
	b, err := os.ReadFile(filepath.Join(c.dir, h))
	if err != nil {
		return nil
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != f.Sum {
		return nil
	}
	return b
}

// keep stages the kept summary of a file this run read. A failure only leaves the
// file out of the cache.
func (c *datasetCache) keep(hash [sha256.Size]byte, kept []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stage == "" {
		if os.MkdirAll(c.dir, 0o700) != nil {
			return
		}
		dir, err := os.MkdirTemp(c.dir, "stage-")
		if err != nil {
			return
		}
		c.stage, c.staged = dir, map[string]cacheFile{}
	}
	h := hex.EncodeToString(hash[:])
	if os.WriteFile(filepath.Join(c.stage, h), kept, 0o600) == nil {
		sum := sha256.Sum256(kept)
		c.staged[h] = cacheFile{Hash: h, Sum: hex.EncodeToString(sum[:])}
	}
}

// commit makes the cache that of run stamp, for files of the given sha256s in input
// order: the staged blobs move into the cache, the manifest is replaced (written
// whole, then renamed), and blobs no longer named are deleted. A file with no blob
// (none staged, none kept) is left out: the next run reads it.
func (c *datasetCache) commit(dataset, stamp, key string, hashes [][sha256.Size]byte) error {
	defer c.discard()
	m := cacheManifest{Format: cacheFormat, Dataset: dataset, Stamp: stamp, Validation: key}
	seen := map[string]bool{}
	for _, sum := range hashes {
		h := hex.EncodeToString(sum[:])
		if seen[h] {
			continue
		}
		seen[h] = true
		if f, ok := c.staged[h]; ok {
			if os.Rename(filepath.Join(c.stage, h), filepath.Join(c.dir, h)) != nil {
				continue
			}
			m.Files = append(m.Files, f)
		} else if f, ok := c.blobs[h]; ok && c.usable(c.manifest.Stamp, key) {
			// Kept by the last run, and not read again: still there, as its sum says
			// (checked when it is next used).
			m.Files = append(m.Files, f)
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return err
	}
	tmp := filepath.Join(c.dir, manifestName+"."+randomSuffix())
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(c.dir, manifestName)); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if n := e.Name(); !seen[n] && len(n) == 2*sha256.Size && !e.IsDir() {
			_ = os.Remove(filepath.Join(c.dir, n))
		}
	}
	return nil
}

// discard removes what this run staged and did not commit.
func (c *datasetCache) discard() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stage != "" {
		_ = os.RemoveAll(c.stage)
		c.stage, c.staged = "", nil
	}
}

func randomSuffix() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// validationKey identifies what validating a file depends on besides its bytes: this
// build of the tool (its executable's sha256: any change of the code gives another),
// its version and the vocabulary. It is "" when the executable cannot be read, and then
// nothing is cached.
func validationKey(version string, vocab *schema.Vocabulary) string {
	exe := executableHash()
	if exe == "" {
		return ""
	}
	v, err := json.Marshal(vocab)
	if err != nil {
		return ""
	}
	h := sha256.New()
	for _, s := range []string{fingerprintVersion, exe, version} {
		fmt.Fprintf(h, "%d:%s\n", len(s), s)
	}
	h.Write(v)
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

var executableHash = sync.OnceValue(func() string {
	p, err := os.Executable()
	if err != nil {
		return ""
	}
	f, err := os.Open(p)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
})
