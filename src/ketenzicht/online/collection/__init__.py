"""The collection half of ``online``: a polite Scrapy crawler, WARC capture, the ad store."""
