package command_test

import (
	"errors"

	"github.com/mpdata/mp/domain"
)

func asError(err error, target **domain.Error) bool { return errors.As(err, target) }
