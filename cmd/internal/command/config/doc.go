// Package config holds the `mp config` command group: work on the config
// file as a whole (today: `mp config migrate`, the conversion of a 0.3.x
// config file).
package config
