package app

import (
	"context"

	"go.uber.org/zap"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// Config works on the config file as a whole.
type Config struct {
	c   *core
	log *zap.Logger
}

// MigrateLegacy converts a config file of the Python tool's 0.3.x format
// into the current schema (see ports.LegacyMigrator), or with dryRun
// reports what it would do. A config store that cannot convert files is
// CONFIG_ERROR.
func (s *Config) MigrateLegacy(ctx context.Context, dryRun bool) (domain.LegacyMigration, error) {
	m, ok := s.c.deps.Config.(ports.LegacyMigrator)
	if !ok {
		return domain.LegacyMigration{}, domain.NewError(domain.CodeConfigError, "this config store cannot convert 0.3.x config files").
			WithHint("convert the file with the mp command (`mp config migrate`), which keeps the config in a file")
	}
	r, err := m.MigrateLegacy(ctx, dryRun)
	if err != nil {
		s.log.Debug("config migration failed", zap.String("code", string(domain.CodeOf(err))))
		return r, err
	}
	s.log.Debug("config migrated", zap.Bool("dry_run", dryRun), zap.Int("accounts", len(r.Accounts)))
	return r, nil
}
