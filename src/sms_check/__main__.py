"""Run smscheck as ``python -m sms_check``."""

from sms_check.cli import main

main()
