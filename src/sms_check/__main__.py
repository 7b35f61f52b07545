"""Run smscheck as ``python -m sms_check``."""

from sms_check.entry import main

main()
