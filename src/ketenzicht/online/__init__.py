"""Domain ``online``: analysis of escort and sex-work ads for trafficking signals.

``extraction`` turns an ad into structured findings (phone numbers with how they were
obscured, e-mails, messenger handles, ages, places, prices, origin, language);
``indicators`` raises weighted, evidence-carrying flags from a data catalogue; ``cli`` offers
``ketenzicht online extract``.
"""
