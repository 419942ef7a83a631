Feature: qcli as a Python module (seed 001, "As a Python Module")
  The CLI's commands are methods of QCLIController with the positional
  arguments as named parameters.

  Background:
    Given the seed 001 hierarchy exists

  Scenario: The calls of seed 001 print what the CLI prints
    When I run Python
      """
      from qairon_qcli.controllers import QCLIController, PrintingOutputController

      qcli = QCLIController(PrintingOutputController())
      qcli.get(resource='service', resource_id='ecommerce:checkout:order-processor')
      qcli.list(resource='service')
      qcli.get_field(resource='stack', resource_id='ecommerce:payments', field='services')
      qcli.allocate_subnet(network_id='prod:aws:123456789012:us-east-1:us-east-1a:main-vpc', additional_mask_bits=6, name='eks0')
      """
    Then it succeeds
    And stdout contains ""id": "ecommerce:checkout:order-processor""
    And stdout contains ""id": "ecommerce:payments:refunds""
    And stdout contains ""id": "prod:aws:123456789012:us-east-1:us-east-1a:main-vpc:eks0""
    And stdout contains ""cidr": "10.0.0.0/22""

  Scenario: A returning controller gives Python objects and typed errors
    When I run Python
      """
      from qairon_qcli.client import AllocationError, Conflict, NotFound
      from qairon_qcli.controllers import QCLIController, ReturningOutputController

      qcli = QCLIController(ReturningOutputController())
      services = qcli.get_field(resource='stack', resource_id='ecommerce:payments', field='services')
      print(sorted(s['name'] for s in services))
      build = qcli.create(resource='build', service_id='ecommerce:checkout:order-processor', build_num='42', vcs_ref='9fceb02')
      print(build['id'])
      print(qcli.get_field(resource='build', resource_id=build['id'], field='vcs_ref'))
      qcli.set_field(resource='service', resource_id='ecommerce:checkout:order-processor', field='defaults', value={'team': 'orders'})
      print(qcli.get_field(resource='service', resource_id='ecommerce:checkout:order-processor', field='defaults'))
      found = qcli.query(resource='service', query={'filters': [{'name': 'stack.application_id', 'op': 'eq', 'val': 'ecommerce'}]})
      print(len(found))
      try:
          qcli.get(resource='service', resource_id='ecommerce:checkout:nothing')
      except NotFound as exc:
          print('NotFound', exc.status)
      try:
          qcli.create(resource='service', stack_id='ecommerce:checkout', name='order-processor')
      except Conflict as exc:
          print('Conflict', exc.status)
      qcli.create(resource='network', partition_id='prod:aws:123456789012:us-east-1:us-east-1a', name='tiny', cidr='192.168.0.0/30')
      for name in ('low', 'high'):
          qcli.allocate_subnet(network_id='prod:aws:123456789012:us-east-1:us-east-1a:tiny', additional_mask_bits=1, name=name)
      try:
          qcli.allocate_subnet(network_id='prod:aws:123456789012:us-east-1:us-east-1a:tiny', additional_mask_bits=1, name='more')
      except AllocationError as exc:
          print('AllocationError', exc.status)
      """
    Then it succeeds
    And stdout is
      """
      ['payment-gateway', 'refunds']
      ecommerce:checkout:order-processor:42
      9fceb02
      {'team': 'orders'}
      3
      NotFound 404
      Conflict 409
      AllocationError 409
      """

  Scenario: A script of the older (upstream) Qairon module runs unchanged
    When I run Python
      """
      import io, json
      from qairon_qcli.controllers import QCLIController, StringIOOutputController, IterableOutputController

      stream = io.StringIO()
      qcli = QCLIController(StringIOOutputController(stream))
      qcli.create({'resource': 'environment', 'id': 'legacy'}, output_format='plain', output_fields=['id'])
      rows = []
      listing = IterableOutputController(rows)
      QCLIController(listing).query('stack', query=json.dumps([{'name': 'id', 'op': 'like', 'val': 'ecommerce:pay%'}]))
      print(stream.getvalue(), [row['id'] for row in listing.read_as_json()], rows)
      """
    Then it succeeds
    And stdout contains "legacy ['ecommerce:payments'] []"
