package feedback

import (
	"errors"

	"github.com/smartregions/smartregions/internal/apperr"
)

func asErr(err error, target **apperr.Error) bool { return errors.As(err, target) }
