"""Log records carry the id of the request that produced them, so one request's lines can be found."""

import logging
import threading

_local = threading.local()


def set_request_id(value: str | None) -> None:
    _local.request_id = value


def current_request_id() -> str:
    return getattr(_local, "request_id", None) or "-"


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True
