"""Error Codes: the broker's general list of error codes, explained from errors.ERROR_CODES.

The area error_codes: handler.py."""
