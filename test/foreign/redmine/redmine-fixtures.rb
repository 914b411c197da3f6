# redmine-fixtures.rb: what SD's Redmine tests need that Redmine's REST API cannot make, run once
# per database by redmine-setup.sh through `rails runner` (idempotent).
#   - the REST API on, the admin's fixed API key, no forced password change
#   - users alice and bob (with fixed API keys) to author issues and journals
#   - issue custom fields for every project: Severity (list), Tags (multi-valued list), Customer (text)
key = ENV.fetch('SD_RM_API_KEY')
Setting.rest_api_enabled = '1'
Setting.host_name = "127.0.0.1:#{ENV.fetch('SD_RM_PORT')}"
Setting.attachment_max_size = (ENV['SD_RM_MAX_ATTACHMENT_KB'] || '1024').to_i

admin = User.find_by_login('admin')
admin.must_change_passwd = false
admin.mail = 'admin@example.test'
admin.save!
def api_key(user, value)
  Token.where(user_id: user.id, action: 'api').delete_all
  # Token generates its own value on create: the fixed one is written afterwards.
  Token.create!(user: user, action: 'api').update_column(:value, value)
end
api_key(admin, key)

[['alice', 'Alice', 'Liddell', '1' * 40], ['bob', 'Bob', 'Builder', '2' * 40]].each do |login, first, last, token|
  user = User.find_by_login(login) || User.new(firstname: first, lastname: last, mail: "#{login}@example.test")
  user.login = login
  user.password = user.password_confirmation = 'Redmine-Test-4711'
  user.status = User::STATUS_ACTIVE
  user.must_change_passwd = false
  user.save!
  api_key(user, token)
end

trackers = Tracker.all.to_a
[['Severity', 'list', %w[low high critical], false], ['Tags', 'list', %w[hardware software urgent], true], ['Customer', 'string', [], false]].each do |name, format, values, multiple|
  next if IssueCustomField.find_by_name(name)
  cf = IssueCustomField.new(name: name, field_format: format, is_for_all: true, is_filter: true, visible: true, editable: true, multiple: multiple)
  cf.possible_values = values unless values.empty?
  cf.trackers = trackers
  cf.save!
end
puts "redmine fixtures: admin key set, users alice and bob, custom fields #{IssueCustomField.pluck(:name).join(', ')}"
