"""PostgreSQL forbids overlapping subnets of one network by itself.

``EXCLUDE USING gist (network_id WITH =, cidr inet_ops WITH &&)`` (with the
btree_gist extension for the ``=`` on text) refuses any row whose CIDR
overlaps another subnet of the same network, whoever writes it: the
allocator, an explicit-CIDR create, a CSV import or a manual ``INSERT``.
The migration creates it; the DDL below also attaches it to the table when
tests build the schema with ``create_all``. SQLite has no such constraint;
there the model rule and the allocator's write lock keep subnets apart.
"""
from sqlalchemy import DDL, event

from .models.network import Subnet

CONSTRAINT = "ex_subnet_network_cidr_overlap"
CREATE_EXTENSION = "CREATE EXTENSION IF NOT EXISTS btree_gist"
ADD_CONSTRAINT = (f"ALTER TABLE subnet ADD CONSTRAINT {CONSTRAINT} "
                  "EXCLUDE USING gist (network_id WITH =, cidr inet_ops WITH &&)")

event.listen(Subnet.__table__, "before_create",
             DDL(CREATE_EXTENSION).execute_if(dialect="postgresql"))
event.listen(Subnet.__table__, "after_create",
             DDL(ADD_CONSTRAINT).execute_if(dialect="postgresql"))
