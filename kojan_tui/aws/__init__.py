"""The only code that talks to AWS: one aiobotocore session, typed results, mapped failures."""
