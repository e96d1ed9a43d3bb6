"""What is polled, how often, with what window and pattern: the poller, the log feed and the dashboard's
fetchers. Plain asyncio over the gateway protocol; no Textual.
"""
