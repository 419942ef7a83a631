"""The whole model: every resource of SPEC.md section 1, its links and indexes.

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 17:23:15.326201

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('allocation_type',
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('unit', sa.String(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_allocation_type'))
    )
    op.create_table('application',
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application'))
    )
    op.create_table('deployment_target_type',
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deployment_target_type'))
    )
    op.create_table('environment',
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_environment'))
    )
    op.create_table('fleet_type',
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fleet_type'))
    )
    op.create_table('language',
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_language'))
    )
    op.create_table('provider_type',
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provider_type'))
    )
    op.create_table('repo_type',
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_repo_type'))
    )
    op.create_table('config_template',
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('language_id', sa.String(), nullable=False),
    sa.Column('doc', sa.Text(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['language_id'], ['language.id'], name=op.f('fk_config_template_language_id_language')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_config_template'))
    )
    with op.batch_alter_table('config_template', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_config_template_language_id'), ['language_id'], unique=False)

    op.create_table('provider',
    sa.Column('environment_id', sa.String(), nullable=False),
    sa.Column('provider_type_id', sa.String(), nullable=False),
    sa.Column('native_id', sa.String(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['environment_id'], ['environment.id'], name=op.f('fk_provider_environment_id_environment')),
    sa.ForeignKeyConstraint(['provider_type_id'], ['provider_type.id'], name=op.f('fk_provider_provider_type_id_provider_type')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provider')),
    sa.UniqueConstraint('provider_type_id', 'native_id', name=op.f('uq_provider_provider_type_id_native_id'))
    )
    with op.batch_alter_table('provider', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_provider_environment_id'), ['environment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_provider_provider_type_id'), ['provider_type_id'], unique=False)

    op.create_table('repo',
    sa.Column('repo_type_id', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('url', sa.String(), nullable=True),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['repo_type_id'], ['repo_type.id'], name=op.f('fk_repo_repo_type_id_repo_type')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_repo'))
    )
    with op.batch_alter_table('repo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_repo_repo_type_id'), ['repo_type_id'], unique=False)

    op.create_table('stack',
    sa.Column('application_id', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_stack_application_id_application')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stack'))
    )
    with op.batch_alter_table('stack', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stack_application_id'), ['application_id'], unique=False)

    op.create_table('region',
    sa.Column('provider_id', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('native_id', sa.String(), nullable=True),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['provider_id'], ['provider.id'], name=op.f('fk_region_provider_id_provider')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_region'))
    )
    with op.batch_alter_table('region', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_region_native_id'), ['native_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_region_provider_id'), ['provider_id'], unique=False)

    op.create_table('service',
    sa.Column('stack_id', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['stack_id'], ['stack.id'], name=op.f('fk_service_stack_id_stack')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service'))
    )
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_stack_id'), ['stack_id'], unique=False)

    op.create_table('stack_config',
    sa.Column('stack_id', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('config', sa.Text(), nullable=False),
    sa.Column('tag', sa.String(), nullable=False),
    sa.Column('config_template_id', sa.String(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['config_template_id'], ['config_template.id'], name=op.f('fk_stack_config_config_template_id_config_template')),
    sa.ForeignKeyConstraint(['stack_id'], ['stack.id'], name=op.f('fk_stack_config_stack_id_stack')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stack_config'))
    )
    with op.batch_alter_table('stack_config', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stack_config_config_template_id'), ['config_template_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stack_config_stack_id'), ['stack_id'], unique=False)

    op.create_table('build',
    sa.Column('service_id', sa.String(), nullable=False),
    sa.Column('build_num', sa.String(), nullable=False),
    sa.Column('vcs_ref', sa.String(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_build_service_id_service')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_build'))
    )
    with op.batch_alter_table('build', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_build_service_id'), ['service_id'], unique=False)

    op.create_table('partition',
    sa.Column('region_id', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('native_id', sa.String(), nullable=True),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_partition_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partition'))
    )
    with op.batch_alter_table('partition', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partition_native_id'), ['native_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_partition_region_id'), ['region_id'], unique=False)

    op.create_table('proc',
    sa.Column('service_id', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_proc_service_id_service')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proc'))
    )
    with op.batch_alter_table('proc', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proc_service_id'), ['service_id'], unique=False)

    op.create_table('service_config',
    sa.Column('service_id', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('config', sa.Text(), nullable=False),
    sa.Column('tag', sa.String(), nullable=False),
    sa.Column('config_template_id', sa.String(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['config_template_id'], ['config_template.id'], name=op.f('fk_service_config_config_template_id_config_template')),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_service_config_service_id_service')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_config'))
    )
    with op.batch_alter_table('service_config', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_config_config_template_id'), ['config_template_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_config_service_id'), ['service_id'], unique=False)

    op.create_table('service_repo',
    sa.Column('service_id', sa.String(), nullable=False),
    sa.Column('repo_id', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['repo_id'], ['repo.id'], name=op.f('fk_service_repo_repo_id_repo'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_service_repo_service_id_service'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('service_id', 'repo_id', name=op.f('pk_service_repo'))
    )
    with op.batch_alter_table('service_repo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_repo_repo_id'), ['repo_id'], unique=False)

    op.create_table('zone',
    sa.Column('region_id', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('native_id', sa.String(), nullable=True),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_zone_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zone'))
    )
    with op.batch_alter_table('zone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_zone_native_id'), ['native_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_zone_region_id'), ['region_id'], unique=False)

    op.create_table('build_artifact',
    sa.Column('build_id', sa.String(), nullable=False),
    sa.Column('input_repo_id', sa.String(), nullable=False),
    sa.Column('output_repo_id', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('upload_path', sa.String(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['build_id'], ['build.id'], name=op.f('fk_build_artifact_build_id_build')),
    sa.ForeignKeyConstraint(['input_repo_id'], ['repo.id'], name=op.f('fk_build_artifact_input_repo_id_repo')),
    sa.ForeignKeyConstraint(['output_repo_id'], ['repo.id'], name=op.f('fk_build_artifact_output_repo_id_repo')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_build_artifact'))
    )
    with op.batch_alter_table('build_artifact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_build_artifact_build_id'), ['build_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_build_artifact_input_repo_id'), ['input_repo_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_build_artifact_output_repo_id'), ['output_repo_id'], unique=False)

    op.create_table('deployment_target',
    sa.Column('partition_id', sa.String(), nullable=False),
    sa.Column('deployment_target_type_id', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('native_id', sa.String(), nullable=True),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['deployment_target_type_id'], ['deployment_target_type.id'], name=op.f('fk_deployment_target_deployment_target_type_id_deployment_target_type')),
    sa.ForeignKeyConstraint(['partition_id'], ['partition.id'], name=op.f('fk_deployment_target_partition_id_partition')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deployment_target'))
    )
    with op.batch_alter_table('deployment_target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deployment_target_deployment_target_type_id'), ['deployment_target_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deployment_target_native_id'), ['native_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deployment_target_partition_id'), ['partition_id'], unique=False)

    op.create_table('fleet',
    sa.Column('partition_id', sa.String(), nullable=False),
    sa.Column('fleet_type_id', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('native_id', sa.String(), nullable=True),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['fleet_type_id'], ['fleet_type.id'], name=op.f('fk_fleet_fleet_type_id_fleet_type')),
    sa.ForeignKeyConstraint(['partition_id'], ['partition.id'], name=op.f('fk_fleet_partition_id_partition')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fleet'))
    )
    with op.batch_alter_table('fleet', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fleet_fleet_type_id'), ['fleet_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fleet_native_id'), ['native_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fleet_partition_id'), ['partition_id'], unique=False)

    op.create_table('network',
    sa.Column('partition_id', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('cidr', sa.String().with_variant(postgresql.CIDR(), 'postgresql'), nullable=False),
    sa.Column('native_id', sa.String(), nullable=True),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['partition_id'], ['partition.id'], name=op.f('fk_network_partition_id_partition')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network'))
    )
    with op.batch_alter_table('network', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_native_id'), ['native_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_network_partition_id'), ['partition_id'], unique=False)

    op.create_table('capacity',
    sa.Column('fleet_id', sa.String(), nullable=False),
    sa.Column('allocation_type_id', sa.String(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['allocation_type_id'], ['allocation_type.id'], name=op.f('fk_capacity_allocation_type_id_allocation_type')),
    sa.ForeignKeyConstraint(['fleet_id'], ['fleet.id'], name=op.f('fk_capacity_fleet_id_fleet')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capacity'))
    )
    with op.batch_alter_table('capacity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_capacity_allocation_type_id'), ['allocation_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_capacity_fleet_id'), ['fleet_id'], unique=False)

    op.create_table('deployment',
    sa.Column('deployment_target_id', sa.String(), nullable=False),
    sa.Column('service_id', sa.String(), nullable=False),
    sa.Column('tag', sa.String(), nullable=False),
    sa.Column('current_release_id', sa.String(), nullable=True),
    sa.Column('native_id', sa.String(), nullable=True),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['current_release_id'], ['release.id'], name=op.f('fk_deployment_current_release_id_release'), use_alter=True),
    sa.ForeignKeyConstraint(['deployment_target_id'], ['deployment_target.id'], name=op.f('fk_deployment_deployment_target_id_deployment_target')),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_deployment_service_id_service')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deployment'))
    )
    with op.batch_alter_table('deployment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deployment_current_release_id'), ['current_release_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deployment_deployment_target_id'), ['deployment_target_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deployment_native_id'), ['native_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deployment_service_id'), ['service_id'], unique=False)

    op.create_table('deployment_target_fleet',
    sa.Column('deployment_target_id', sa.String(), nullable=False),
    sa.Column('fleet_id', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['deployment_target_id'], ['deployment_target.id'], name=op.f('fk_deployment_target_fleet_deployment_target_id_deployment_target'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['fleet_id'], ['fleet.id'], name=op.f('fk_deployment_target_fleet_fleet_id_fleet'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('deployment_target_id', 'fleet_id', name=op.f('pk_deployment_target_fleet'))
    )
    with op.batch_alter_table('deployment_target_fleet', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deployment_target_fleet_fleet_id'), ['fleet_id'], unique=False)

    op.create_table('subnet',
    sa.Column('network_id', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('cidr', sa.String().with_variant(postgresql.CIDR(), 'postgresql'), nullable=False),
    sa.Column('range_start', sa.String(length=40), nullable=False),
    sa.Column('range_end', sa.String(length=40), nullable=False),
    sa.Column('native_id', sa.String(), nullable=True),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['network_id'], ['network.id'], name=op.f('fk_subnet_network_id_network')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subnet'))
    )
    with op.batch_alter_table('subnet', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subnet_native_id'), ['native_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_subnet_network_id'), ['network_id'], unique=False)
        batch_op.create_index('ix_subnet_network_range', ['network_id', 'range_start'], unique=False)

    op.create_table('deployment_config',
    sa.Column('deployment_id', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('config', sa.Text(), nullable=False),
    sa.Column('tag', sa.String(), nullable=False),
    sa.Column('config_template_id', sa.String(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['config_template_id'], ['config_template.id'], name=op.f('fk_deployment_config_config_template_id_config_template')),
    sa.ForeignKeyConstraint(['deployment_id'], ['deployment.id'], name=op.f('fk_deployment_config_deployment_id_deployment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deployment_config'))
    )
    with op.batch_alter_table('deployment_config', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deployment_config_config_template_id'), ['config_template_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deployment_config_deployment_id'), ['deployment_id'], unique=False)

    op.create_table('deployment_proc',
    sa.Column('deployment_id', sa.String(), nullable=False),
    sa.Column('proc_id', sa.String(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['deployment_id'], ['deployment.id'], name=op.f('fk_deployment_proc_deployment_id_deployment')),
    sa.ForeignKeyConstraint(['proc_id'], ['proc.id'], name=op.f('fk_deployment_proc_proc_id_proc')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deployment_proc'))
    )
    with op.batch_alter_table('deployment_proc', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deployment_proc_deployment_id'), ['deployment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deployment_proc_proc_id'), ['proc_id'], unique=False)

    op.create_table('deployment_zone',
    sa.Column('deployment_id', sa.String(), nullable=False),
    sa.Column('zone_id', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['deployment_id'], ['deployment.id'], name=op.f('fk_deployment_zone_deployment_id_deployment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['zone_id'], ['zone.id'], name=op.f('fk_deployment_zone_zone_id_zone'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('deployment_id', 'zone_id', name=op.f('pk_deployment_zone'))
    )
    with op.batch_alter_table('deployment_zone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deployment_zone_zone_id'), ['zone_id'], unique=False)

    op.create_table('release',
    sa.Column('build_id', sa.String(), nullable=False),
    sa.Column('deployment_id', sa.String(), nullable=False),
    sa.Column('build_num', sa.String(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['build_id'], ['build.id'], name=op.f('fk_release_build_id_build')),
    sa.ForeignKeyConstraint(['deployment_id'], ['deployment.id'], name=op.f('fk_release_deployment_id_deployment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_release'))
    )
    with op.batch_alter_table('release', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_release_build_id'), ['build_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_release_deployment_id'), ['deployment_id'], unique=False)

    if op.get_bind().dialect.name != "sqlite":
        # SQLite cannot add a constraint later; it keeps the inline one above.
        op.create_foreign_key(op.f('fk_deployment_current_release_id_release'), 'deployment',
                              'release', ['current_release_id'], ['id'])
    op.create_table('subnet_fleet',
    sa.Column('subnet_id', sa.String(), nullable=False),
    sa.Column('fleet_id', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['fleet_id'], ['fleet.id'], name=op.f('fk_subnet_fleet_fleet_id_fleet'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subnet_id'], ['subnet.id'], name=op.f('fk_subnet_fleet_subnet_id_subnet'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('subnet_id', 'fleet_id', name=op.f('pk_subnet_fleet'))
    )
    with op.batch_alter_table('subnet_fleet', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subnet_fleet_fleet_id'), ['fleet_id'], unique=False)

    op.create_table('allocation',
    sa.Column('deployment_proc_id', sa.String(), nullable=False),
    sa.Column('allocation_type_id', sa.String(), nullable=False),
    sa.Column('watermark', sa.String(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['allocation_type_id'], ['allocation_type.id'], name=op.f('fk_allocation_allocation_type_id_allocation_type')),
    sa.ForeignKeyConstraint(['deployment_proc_id'], ['deployment_proc.id'], name=op.f('fk_allocation_deployment_proc_id_deployment_proc')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_allocation'))
    )
    with op.batch_alter_table('allocation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_allocation_allocation_type_id'), ['allocation_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_allocation_deployment_proc_id'), ['deployment_proc_id'], unique=False)

    op.create_table('release_artifact',
    sa.Column('release_id', sa.String(), nullable=False),
    sa.Column('input_repo_id', sa.String(), nullable=False),
    sa.Column('output_repo_id', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('upload_path', sa.String(), nullable=False),
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('defaults', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['input_repo_id'], ['repo.id'], name=op.f('fk_release_artifact_input_repo_id_repo')),
    sa.ForeignKeyConstraint(['output_repo_id'], ['repo.id'], name=op.f('fk_release_artifact_output_repo_id_repo')),
    sa.ForeignKeyConstraint(['release_id'], ['release.id'], name=op.f('fk_release_artifact_release_id_release')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_release_artifact'))
    )
    with op.batch_alter_table('release_artifact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_release_artifact_input_repo_id'), ['input_repo_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_release_artifact_output_repo_id'), ['output_repo_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_release_artifact_release_id'), ['release_id'], unique=False)



def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f('fk_deployment_current_release_id_release'), 'deployment',
                           type_='foreignkey')
    with op.batch_alter_table('release_artifact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_release_artifact_release_id'))
        batch_op.drop_index(batch_op.f('ix_release_artifact_output_repo_id'))
        batch_op.drop_index(batch_op.f('ix_release_artifact_input_repo_id'))

    op.drop_table('release_artifact')
    with op.batch_alter_table('allocation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_allocation_deployment_proc_id'))
        batch_op.drop_index(batch_op.f('ix_allocation_allocation_type_id'))

    op.drop_table('allocation')
    with op.batch_alter_table('subnet_fleet', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subnet_fleet_fleet_id'))

    op.drop_table('subnet_fleet')
    with op.batch_alter_table('release', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_release_deployment_id'))
        batch_op.drop_index(batch_op.f('ix_release_build_id'))

    op.drop_table('release')
    with op.batch_alter_table('deployment_zone', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deployment_zone_zone_id'))

    op.drop_table('deployment_zone')
    with op.batch_alter_table('deployment_proc', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deployment_proc_proc_id'))
        batch_op.drop_index(batch_op.f('ix_deployment_proc_deployment_id'))

    op.drop_table('deployment_proc')
    with op.batch_alter_table('deployment_config', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deployment_config_deployment_id'))
        batch_op.drop_index(batch_op.f('ix_deployment_config_config_template_id'))

    op.drop_table('deployment_config')
    with op.batch_alter_table('subnet', schema=None) as batch_op:
        batch_op.drop_index('ix_subnet_network_range')
        batch_op.drop_index(batch_op.f('ix_subnet_network_id'))
        batch_op.drop_index(batch_op.f('ix_subnet_native_id'))

    op.drop_table('subnet')
    with op.batch_alter_table('deployment_target_fleet', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deployment_target_fleet_fleet_id'))

    op.drop_table('deployment_target_fleet')
    with op.batch_alter_table('deployment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deployment_service_id'))
        batch_op.drop_index(batch_op.f('ix_deployment_native_id'))
        batch_op.drop_index(batch_op.f('ix_deployment_deployment_target_id'))
        batch_op.drop_index(batch_op.f('ix_deployment_current_release_id'))

    op.drop_table('deployment')
    with op.batch_alter_table('capacity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_capacity_fleet_id'))
        batch_op.drop_index(batch_op.f('ix_capacity_allocation_type_id'))

    op.drop_table('capacity')
    with op.batch_alter_table('network', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_partition_id'))
        batch_op.drop_index(batch_op.f('ix_network_native_id'))

    op.drop_table('network')
    with op.batch_alter_table('fleet', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fleet_partition_id'))
        batch_op.drop_index(batch_op.f('ix_fleet_native_id'))
        batch_op.drop_index(batch_op.f('ix_fleet_fleet_type_id'))

    op.drop_table('fleet')
    with op.batch_alter_table('deployment_target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deployment_target_partition_id'))
        batch_op.drop_index(batch_op.f('ix_deployment_target_native_id'))
        batch_op.drop_index(batch_op.f('ix_deployment_target_deployment_target_type_id'))

    op.drop_table('deployment_target')
    with op.batch_alter_table('build_artifact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_build_artifact_output_repo_id'))
        batch_op.drop_index(batch_op.f('ix_build_artifact_input_repo_id'))
        batch_op.drop_index(batch_op.f('ix_build_artifact_build_id'))

    op.drop_table('build_artifact')
    with op.batch_alter_table('zone', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_zone_region_id'))
        batch_op.drop_index(batch_op.f('ix_zone_native_id'))

    op.drop_table('zone')
    with op.batch_alter_table('service_repo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_repo_repo_id'))

    op.drop_table('service_repo')
    with op.batch_alter_table('service_config', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_config_service_id'))
        batch_op.drop_index(batch_op.f('ix_service_config_config_template_id'))

    op.drop_table('service_config')
    with op.batch_alter_table('proc', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proc_service_id'))

    op.drop_table('proc')
    with op.batch_alter_table('partition', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partition_region_id'))
        batch_op.drop_index(batch_op.f('ix_partition_native_id'))

    op.drop_table('partition')
    with op.batch_alter_table('build', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_build_service_id'))

    op.drop_table('build')
    with op.batch_alter_table('stack_config', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stack_config_stack_id'))
        batch_op.drop_index(batch_op.f('ix_stack_config_config_template_id'))

    op.drop_table('stack_config')
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_stack_id'))

    op.drop_table('service')
    with op.batch_alter_table('region', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_region_provider_id'))
        batch_op.drop_index(batch_op.f('ix_region_native_id'))

    op.drop_table('region')
    with op.batch_alter_table('stack', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stack_application_id'))

    op.drop_table('stack')
    with op.batch_alter_table('repo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_repo_repo_type_id'))

    op.drop_table('repo')
    with op.batch_alter_table('provider', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_provider_provider_type_id'))
        batch_op.drop_index(batch_op.f('ix_provider_environment_id'))

    op.drop_table('provider')
    with op.batch_alter_table('config_template', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_config_template_language_id'))

    op.drop_table('config_template')
    op.drop_table('repo_type')
    op.drop_table('provider_type')
    op.drop_table('language')
    op.drop_table('fleet_type')
    op.drop_table('environment')
    op.drop_table('deployment_target_type')
    op.drop_table('application')
    op.drop_table('allocation_type')
