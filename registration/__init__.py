"""Unemployment registration (失业登记): the form's answers, the stored registrations, the service ledger."""  # noqa: E501
