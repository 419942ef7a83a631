"""``qcli whoami``: who the server takes this qcli for."""
