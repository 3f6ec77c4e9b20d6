# Suggestions outside campaigns (depends on a committed problems migration only: string foreign key)

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('participation', '0001_initial'),
        ('problems', '0006_author_recent'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Suggestion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('kind', models.CharField(choices=[('category', 'a new problem category'), ('topic', 'a new topic'), ('solution', 'a solution to a problem')], max_length=16, verbose_name='kind')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('body', models.TextField(verbose_name='suggestion')),
                ('status', models.CharField(choices=[('new', 'awaiting an answer'), ('accepted', 'accepted'), ('considered', 'taken into consideration'), ('rejected', 'rejected')], default='new', max_length=16, verbose_name='status')),
                ('answer', models.TextField(blank=True, verbose_name='official answer')),
                ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='answered')),
                ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='answered by')),
                ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='author')),
                ('problem', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='problems.problem', verbose_name='problem')),
            ],
            options={
                'verbose_name': 'suggestion',
                'verbose_name_plural': 'suggestions',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['status', 'created_at'], name='participation_suggestion_queue')],
                'constraints': [models.CheckConstraint(condition=models.Q(('kind__in', ['category', 'topic', 'solution'])), name='participation_suggestion_kind'), models.CheckConstraint(condition=models.Q(('status', 'new'), models.Q(('answer', ''), _negated=True), _connector='OR'), name='participation_suggestion_answered')],
            },
        ),
    ]
