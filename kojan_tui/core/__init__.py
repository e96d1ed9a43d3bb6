"""Pure logic: config, models, thresholds, alerts, log handling. Imports no Textual and no AWS SDK."""
