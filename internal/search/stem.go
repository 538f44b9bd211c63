package search

import (
	"sync"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/german"
)

// envs are reusable Snowball environments; one stems one word at a time.
var envs = sync.Pool{New: func() any { return snowballstem.NewEnv("") }}

// stemGerman reduces a lower-case, folded German word (no umlauts, ß
// written ss) to its stem with the Snowball German algorithm, as the
// Snowball project generates it for Go
// (https://snowballstem.org/algorithms/german/stemmer.html). The input is
// folded before, so the algorithm's final umlaut removal has nothing to do.
func stemGerman(word string) string {
	env := envs.Get().(*snowballstem.Env)
	defer envs.Put(env)
	env.SetCurrent(word)
	german.Stem(env)
	return env.Current()
}
