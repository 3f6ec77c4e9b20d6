"""Every shared read of construction, one module per part (``objects``, ``verification``, ``illegal``, ``works``,
``history``)."""
