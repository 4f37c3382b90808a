"""Cases (ketenregie): multi-agency coordination of one situation of trafficking."""
