# rt-fixtures.pl: what SD's RT tests need that REST2 cannot make, added through RT's own API.
# Run as www-data with SD_RT_PORT and SD_RT_DIR set (rt-setup.sh does). Idempotent.
#
# - Custom fields "Severity" (one value) and "Tags" (many values), global: on every queue's tickets.
# - A scrip "SD test: priority on status change": when a ticket in a queue whose name starts with
#   "scrip-" changes status, RT_System sets its priority to 77. It stands for any change RT makes
#   itself on an update, which SD must pull back although its own push caused it.
# - Users with passwords no test file or config could contain by chance, so a test can look for
#   them everywhere: sd-agent (SuperUser, may do anything) and sd-outsider (may log in, nothing else).
use strict;
use warnings;
use lib '/usr/share/request-tracker5/lib';
use RT;
RT::LoadConfig();
RT::Init();

my $system = RT->SystemUser;

for my $cf ([Severity => 'FreeformSingle'], [Tags => 'FreeformMultiple']) {
    my ($name, $type) = @$cf;
    my $field = RT::CustomField->new($system);
    $field->LoadByName(Name => $name, LookupType => RT::Ticket->CustomFieldLookupType);
    next if $field->id;
    my ($id, $msg) = $field->Create(Name => $name, Type => $type, LookupType => RT::Ticket->CustomFieldLookupType);
    die "custom field $name: $msg\n" unless $id;
    my ($ok, $why) = $field->AddToObject(RT::Queue->new($system));    # object id 0: every queue
    die "custom field $name global: $why\n" unless $ok;
    print "rt-fixtures: custom field $name\n";
}

my $description = 'SD test: priority on status change';
my $scrips = RT::Scrips->new($system);
$scrips->Limit(FIELD => 'Description', VALUE => $description);
if (!$scrips->Count) {
    my $scrip = RT::Scrip->new($system);
    my ($id, $msg) = $scrip->Create(
        Queue                  => 0,
        Description            => $description,
        ScripCondition         => 'User Defined',
        ScripAction            => 'User Defined',
        Template               => 'Blank',
        Stage                  => 'TransactionCreate',
        CustomIsApplicableCode => q{
            return $self->TransactionObj->Type eq 'Status'
                && $self->TicketObj->QueueObj->Name =~ /^scrip-/ ? 1 : 0;
        },
        CustomPrepareCode => 'return 1;',
        CustomCommitCode  => q{
            my ($ok, $msg) = $self->TicketObj->SetPriority(77);
            RT->Logger->error("SD test scrip: $msg") unless $ok;
            return 1;
        },
    );
    die "scrip: $msg\n" unless $id;
    print "rt-fixtures: scrip '$description'\n";
}

for my $u (['sd-agent', 'Plugh-Xyzzy-4711', 1], ['sd-outsider', 'Frotz-Gnusto-2231', 0]) {
    my ($name, $password, $super) = @$u;
    my $user = RT::User->new($system);
    $user->Load($name);
    next if $user->id;
    my ($id, $msg) = $user->Create(Name => $name, EmailAddress => "$name\@example.test", Password => $password, Privileged => 1);
    die "user $name: $msg\n" unless $id;
    if ($super) {
        my ($ok, $why) = $user->PrincipalObj->GrantRight(Right => 'SuperUser', Object => RT->System);
        die "user $name SuperUser: $why\n" unless $ok;
    }
    print "rt-fixtures: user $name\n";
}
