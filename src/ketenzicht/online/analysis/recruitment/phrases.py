"""Phrase banks of the synthetic recruitment corpus, per phenomenon and register.

Written apart from the lexicon on purpose (a different hand): many phrasings here are in no
lexicon term (``bijschnabbelen``, ``stapels``, ``ritje``), so the evaluation also measures
what the text classifier learns beyond the word lists. Registers: ``street`` (Dutch street
language, straattaal), ``plain`` (plain Dutch) and ``en`` (English). All synthetic; no
real post, handle, number or account is in here.
"""

from __future__ import annotations

from typing import Final

Bank = dict[str, tuple[str, ...]]

MONEY: Final[Bank] = {
    "street": ("wil je snel doekoe pakken?", "snelle cash bro", "{amount} per dag verdienen",
               "stapels maken in 1 week", "flappen verdienen zonder stress", "wie wil cashen?",
               "money maken met mij", "bijschnabbelen {amount} per avond", "papier stapelen",
               "dikke bedragen per klus", "in een dag {amount} op zak", "poen scoren"),
    "plain": ("Wil je snel geld verdienen?", "Makkelijk geld verdienen naast school",
              "Verdien {amount} per dag", "extra zakgeld nodig?", "Bijverdienen? {amount} per rit",
              "Snel veel geld, uitbetaling direct", "Wil je rijk worden?",
              "{amount} voor één avond"),
    "en": ("want quick cash?", "easy money fam", "earn {amount} a day", "make money fast",
           "{amount} per drop", "get paid same day", "fast money, no stress", "cash every day"),
}
TASK: Final[Bank] = {
    "street": ("ff een pakketje droppen", "runner nodig", "klusje in de buurt", "je pinpas lenen",
               "ritje maken voor mij", "spullen rondbrengen", "rekening uitlenen voor 1 week",
               "paar dingen ophalen en afgeven", "een dingetje leggen bij een deur",
               "cobra plaatsen", "tikkies ontvangen en doorsturen", "je pas + code voor 1 dag"),
    "plain": ("pakketjes wegbrengen in de stad", "rekening uitlenen", "je bankpas tijdelijk lenen",
              "koerier gezocht voor kleine ritjes", "een klusje voor een avond",
              "geld opnemen en afgeven", "iets ophalen en wegbrengen", "een opdrachtje doen"),
    "en": ("lend your bank account", "do some deliveries", "runner needed", "simple drop offs",
           "pick ups around town", "borrow your debit card", "small tasks", "move some packages"),
}
LOW_BAR: Final[Bank] = {
    "street": ("geen ervaring nodig", "iedereen kan dit", "zonder vragen", "super simpel",
               "vandaag nog beginnen", "geen risico echt waar", "100% safe", "chill werk"),
    "plain": ("Ervaring niet nodig.", "Je kunt direct beginnen.", "Geen cv nodig.",
              "Binnen een uur geld.", "Het is echt zonder risico.",
              "Simpel werk, iedereen welkom."),
    "en": ("no experience needed", "anyone can do it", "no questions asked", "start today",
           "zero risk", "no ID needed", "it's legit"),
}
SECRECY: Final[Bank] = {
    "street": ("dm me", "alleen via snap", "stuur pm", "slide in mn dm", "hmu op telegram",
               "niemand hoeft het te weten", "niet tegen je ouders zeggen", "mondje dicht",
               "verwijder dit na lezen", "ff priv"),
    "plain": ("Stuur een DM.", "Alleen via Snapchat.", "Neem contact op via Telegram.",
              "Zeg het tegen niemand.", "Discreet.", "Stuur een berichtje op Signal."),
    "en": ("DM me", "snap only", "hit me up on telegram", "tell no one", "keep it quiet",
           "message me on signal", "inbox me"),
}
EMOJI: Final[tuple[str, ...]] = ("💸", "💰", "💵", "🤑", "🔌", "📦", "🏃", "💳", "❄️", "🍃", "💯",
                                 "🔥", "🚗💨")
AGE: Final[Bank] = {
    "street": ("vanaf 15 welkom", "ook jonge gasten", "scholieren ook welkom", "14+ kan ook",
               "na school even", "ben je 16? ook goed"),
    "plain": ("Vanaf 15 jaar.", "Ook voor scholieren.", "16 jaar of ouder.",
              "Naast school te doen.",
              "Jongeren gezocht.", "Minderjarigen geen probleem."),
    "en": ("16+", "from 15 up", "students welcome", "teens welcome", "after school job"),
}
FILLER: Final[Bank] = {
    "street": ("wie is down?", "serieus", "wallah", "snel reageren", "alleen serieuze mensen",
               "broer", "we zijn er", "limited plekken", "let op alleen serieuze mensen",
               "pas op voor nep accounts, dit is de echte", "geen scam echt"),
    "plain": ("Interesse?", "Reageer snel.", "Beperkt aantal plekken.", "Ik hoor het graag.",
              "Let op: alleen serieuze reacties.", "Geen oplichting, iedereen krijgt betaald."),
    "en": ("who's in?", "serious only", "limited spots", "let's go", "beware of fake pages",
           "not a scam, ask around"),
}

# --- hard negatives -----------------------------------------------------------------------

JOB_ADS: Final[Bank] = {
    "plain": (
        "Vakkenvuller gezocht bij onze supermarkt in {city}. Vanaf 15 jaar, geen ervaring nodig. "
        "Jeugdloon volgens cao, €{wage} per uur bruto. Solliciteer via onze website.",
        "Bijbaan als bezorger bij een pizzeria: pakketjes en bestellingen wegbrengen op de fiets. "
        "Vanaf 16, €{wage} bruto per uur, contract via het uitzendbureau.",
        "Leuke bijbaan naast school! Afwas in ons restaurant, vrijdag en zaterdag. Uurloon "
        "€{wage}, vakantiegeld, rooster in de app. Stuur je cv en motivatie.",
        "Krantenwijk vrij in {city}: folders rondbrengen op woensdag. Vanaf 13 jaar. "
        "Betaling per wijk, loonstrook elke maand. Aanmelden via de site van de verspreider.",
        "Magazijnmedewerker (bijbaan) gezocht. Geen ervaring? Geen probleem, wij leiden je op. "
        "Minimumloon of hoger, kennismakingsgesprek op kantoor.",
    ),
    "en": (
        "Part-time barista wanted in {city}. No experience needed, we train you. Hourly wage "
        "€{wage} gross, payslip monthly, apply via our website.",
        "Student job: delivering parcels by bike for a local shop, shifts available on weekends. "
        "16+, minimum wage, contract through the agency.",
    ),
    "street": (
        "yo wie wil bijbaan bij de AH? ze zoeken vakkenvullers vanaf 15, gewoon uurloon en "
        "contract, solliciteer op de site",
        "mn baas zoekt nog mensen voor de afwas, €{wage} per uur bruto, vrijdag en zaterdag, "
        "stuur je cv naar de zaak",
    ),
}
WARNING_FRAMES: Final[Bank] = {
    "plain": (
        "Pas op! Krijg je een bericht als “{quote}”? Ga er niet op in. Wie zijn rekening of "
        "pinpas uitleent is een geldezel en dat is strafbaar. Meld het bij de politie.",
        "Let op: criminelen zoeken jongeren met berichten zoals '{quote}'. Deel je pas en "
        "pincode nooit. Twijfel je? Bel de Fraudehelpdesk.",
        "Waarschuwing van je bank: “{quote}” is een bekende truc. Je krijgt een strafblad en "
        "je rekening wordt geblokkeerd.",
        "Ouders, let op! Uw kind kan berichten krijgen als \"{quote}\". Praat erover en meld "
        "het anoniem bij Meld Misdaad Anoniem.",
    ),
    "en": (
        "Beware of posts like \"{quote}\". Money mules risk a criminal record. Never lend your "
        "card or account. Report it to the police.",
        "Scam alert: messages such as '{quote}' are used to recruit teens. Don't fall for it.",
    ),
    "street": (
        "jongens trap er niet in, ik kreeg dit: “{quote}” dat is gewoon geldezel shit, je "
        "krijgt een strafblad. meld het",
    ),
}
NEWS_FRAMES: Final[Bank] = {
    "plain": (
        "Volgens de politie worden jongeren in {city} gelokt met berichten als “{quote}”. Twee "
        "jongens van 15 en 16 werden aangehouden.",
        "Uit onderzoek blijkt dat een kwart van de scholieren berichten zag met de tekst "
        "'{quote}'. De campagne Praat erover wil dat veranderen.",
        "De rechtbank veroordeelde een man die via Snapchat jongeren ronselde met \"{quote}\", "
        "aldus een woordvoerder van het OM.",
    ),
    "en": (
        "Police said teenagers in {city} were recruited with posts like \"{quote}\". Three "
        "suspects were arrested.",
        "Research found that criminal networks use messages such as '{quote}', according to "
        "Europol.",
    ),
    "street": (),
}
MARKET: Final[Bank] = {
    "street": ("verkoop mn ps5 voor {amount}, dm me", "iphone 13 te koop {amount} alleen snap",
               "sneakers maat 43 {amount} stuur pm", "wie wil mn scooter? {amount} hmu"),
    "plain": ("Fiets te koop, €{wage}0. Stuur een DM.", "Bijles wiskunde, €15 per uur, via Signal.",
              "Oppas beschikbaar in het weekend, vanaf 16 jaar, stuur een berichtje."),
    "en": ("selling my bike {amount}, dm me", "tutoring €20 per hour, message me on telegram"),
}
CHATTER: Final[Bank] = {
    "street": ("wie gaat er vanavond mee naar de stad? snap me", "bro die wedstrijd was hard 🔥",
               "ik heb geen geld meer tot vrijdag haha", "school morgen weer 😩", "wie is er down "
                                                                              "voor voetbal?"),
    "plain": ("Morgen is de schoolreis, vergeet je lunch niet.", "Wie heeft de huiswerkopdracht?",
              "Ik spaar voor een nieuwe telefoon.", "Zaterdag markt in het centrum."),
    "en": ("who's coming to the party saturday?", "need to save money for a new phone lol",
           "that game last night was crazy 🔥"),
}
CITIES: Final[tuple[str, ...]] = ("Rotterdam", "Amsterdam", "Utrecht", "Den Haag", "Groningen",
                                  "Eindhoven", "Almere", "Arnhem", "Zwolle", "Assen")
