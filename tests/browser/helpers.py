"""What the browser tests share: signing a page in as a user, and the script that finds what sticks out of a phone's
screen."""

from __future__ import annotations

from django.test import Client

#: the elements that stick out of the screen: those clipped by a scrolling container (a table's wrapper) aside, but
#: not an absolutely placed one (a visually hidden header) whose containing block lies outside that container
WIDE = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .filter(e => { let escapes = getComputedStyle(e).position === 'absolute';
        for (let p = e.parentElement; p; p = p.parentElement) {
            const style = getComputedStyle(p);
            if (escapes && style.position !== 'static') escapes = false;
            if (!escapes && ['auto', 'scroll', 'hidden'].includes(style.overflowX)) return false;
        } return true; })
    .slice(0, 4).map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className)"""


def sign_in(page, live_server, user) -> None:
    """The page's browser context holds ``user``'s session (and no other cookie), as if he had signed in."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
