package wiring

// ConfigReads returns how many times the config store Resolve made for s
// has read config.toml.
func ConfigReads(s Settings) int { return s.configStore.ReadCount() }
