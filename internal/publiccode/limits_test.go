package publiccode

import (
	"strings"
	"testing"
	"time"
)

// TestLargeInputs feeds inputs at the size limit and checks that Parse
// answers quickly and with the expected problem.
func TestLargeInputs(t *testing.T) {
	var nested strings.Builder
	for i := 0; i < 1000; i++ {
		nested.WriteString(strings.Repeat(" ", i) + "k:\n")
	}
	tests := []struct {
		name string
		data string
		code Code
	}{
		{"too large", strings.Repeat("a", MaxSize+1), CodeTooLarge},
		{"many keys", strings.Repeat("unknownKey: value\n", MaxSize/19), CodeSyntax},
		{"long list", "platforms:\n" + strings.Repeat("  - web\n", MaxSize/9), CodeRequired},
		{"long text", "name: " + strings.Repeat("x", MaxSize-10) + "\n", CodeRequired},
		{"deep indentation", nested.String(), CodeTooDeep},
		{"stacked dashes", strings.Repeat("- ", 1000) + "x\n", CodeTooDeep},
		{"flow nesting", strings.Repeat("{a: ", 1000), CodeTooDeep},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, ps := Parse([]byte(tt.data))
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %s", d)
			}
			if !hasProblem(ps, tt.code, "") {
				t.Errorf("want %s, got %d problems, first %v", tt.code, len(ps), first(ps))
			}
		})
	}
}

func first(ps []Problem) any {
	if len(ps) == 0 {
		return nil
	}
	return ps[0]
}
