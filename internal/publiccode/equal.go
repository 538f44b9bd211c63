package publiccode

import (
	"encoding/json"
	"reflect"
)

// Equal reports whether a and b describe the same software, treating
// missing and empty values (nil or empty lists and maps, "", false) alike.
// Numbers in country sections compare by value.
func Equal(a, b *Software) bool {
	return reflect.DeepEqual(normalise(a), normalise(b))
}

// normalise renders s as generic JSON values without empty ones.
func normalise(s *Software) any {
	data, err := json.Marshal(s)
	if err != nil {
		// Only NaN or infinite floats can fail, and toAny never keeps them.
		return err.Error()
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return err.Error()
	}
	return prune(v)
}

func prune(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if e = prune(e); e == nil {
				delete(x, k)
			} else {
				x[k] = e
			}
		}
		if len(x) == 0 {
			return nil
		}
	case []any:
		if len(x) == 0 {
			return nil
		}
		for i := range x {
			x[i] = prune(x[i])
		}
	case string:
		if x == "" {
			return nil
		}
	case bool:
		if !x {
			return nil
		}
	}
	return v
}
