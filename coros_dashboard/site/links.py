"""Where an activity's page lives: one rule for the build, the templates and the page scripts.

An activity's page is `activities/<id>.html`, unless its id names a page the site itself writes
there (the archive is `activities/index.html`): then it is `activities/<id>.activity.html`. A
stored id never holds a dot, so that name can be no other activity's.
"""

SITE_PAGES = frozenset({"index"})  # what the build writes in activities/ besides activity pages


def page_stem(ident: str) -> str:
    """The page's file name without `.html`, as the page scripts receive it."""
    return f"{ident}.activity" if ident.lower() in SITE_PAGES else ident


def activity_page(ident: str) -> str:
    """The page's file name in activities/."""
    return f"{page_stem(ident)}.html"
