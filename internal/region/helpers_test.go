package region_test

import (
	"errors"

	"github.com/smartregions/smartregions/internal/apperr"
)

func ptr[T any](v T) *T { return &v }

func asErr(err error, target **apperr.Error) bool { return errors.As(err, target) }

// argOf returns the value after key in a message's key/value arguments.
func argOf(args []any, key string) any {
	for i := 0; i+1 < len(args); i += 2 {
		if args[i] == key {
			return args[i+1]
		}
	}
	return nil
}
