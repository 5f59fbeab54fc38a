"""The operator console: aiohttp, server-rendered, Indonesian by default."""
